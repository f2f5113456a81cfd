namespace Orchestrator.Api.Errors;

/// <summary>The <c>kind</c> values this API answers with.</summary>
public static class ErrorKinds
{
    public const string ValidationError = "puppetlabs.orchestrator/validation-error";
    public const string UnknownJob = "puppetlabs.orchestrator/unknown-job";
    public const string NotFound = "puppetlabs.orchestrator/not-found";
    public const string MethodNotAllowed = "puppetlabs.orchestrator/method-not-allowed";
    public const string UnknownError = "puppetlabs.orchestrator/unknown-error";
    public const string DatabaseUnavailable = "puppetlabs.orchestrator/database-unavailable";
    public const string UserUnauthenticated = "puppetlabs.rbac/user-unauthenticated";
    public const string InvalidToken = "puppetlabs.rbac/invalid-token";
    public const string NotPermitted = "puppetlabs.orchestrator/not-permitted";
    public const string RateLimited = "puppetlabs.orchestrator/rate-limited";
    public const string RequestTooLarge = "puppetlabs.orchestrator/request-too-large";
}
