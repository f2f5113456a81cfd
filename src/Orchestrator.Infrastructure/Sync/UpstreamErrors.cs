namespace Orchestrator.Infrastructure.Sync;

/// <summary>The upstream answered 401 or 403: the run stops at once and writes nothing more.</summary>
public sealed class UpstreamRefusedException(string message) : Exception(message);

/// <summary>The upstream cannot be reached (connection refused or timed out, TLS failed), after any retries allowed.</summary>
public sealed class UpstreamUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One request failed for good (5xx after every retry, 429 past its bound, an unexpected status).</summary>
public sealed class UpstreamRequestException(string message) : Exception(message);

/// <summary>An upstream document that is not what the published API serves, with where in it.</summary>
public sealed class MalformedDocumentException(string message) : Exception(message);
