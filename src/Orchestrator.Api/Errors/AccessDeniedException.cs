namespace Orchestrator.Api.Errors;

/// <summary>
/// Authentication or authorization turned the request away: 401 without credentials or with ones that do not
/// verify, 403 without the permission. Raised by <see cref="Controllers.ErrorsController"/> for the filter.
/// </summary>
public sealed class AccessDeniedException(int statusCode, bool credentialsSent) : Exception($"Access denied ({statusCode})")
{
    public int StatusCode { get; } = statusCode;

    public bool CredentialsSent { get; } = credentialsSent;
}

/// <summary>The per-client rate limit turned the request away (429).</summary>
public sealed class RateLimitedException() : Exception("Rate limited");
