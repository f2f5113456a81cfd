namespace Orchestrator.Api.Authentication;

public static class Credentials
{
    public const string TokenHeader = "X-Authentication";
    public const string PermissionClaim = "permission";

    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers[TokenHeader].ToString();
        if (!string.IsNullOrWhiteSpace(header))
            return header.Trim();

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }

    public static bool Sent(HttpRequest request) =>
        request.Headers.ContainsKey(TokenHeader) || request.Headers.ContainsKey("Authorization");

    /// <summary>A JSON Web Token has three dot-separated parts; the orchestrator's own tokens do not.</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
