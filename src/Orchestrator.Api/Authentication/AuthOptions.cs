namespace Orchestrator.Api.Authentication;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The permission that lets a caller read jobs ("Job orchestrator: start, stop and view jobs").</summary>
    public const string ViewPermission = "orchestrator:view";

    /// <summary><c>None</c> turns authentication off on purpose; anything else (or nothing) means on when configured.</summary>
    public string? Mode { get; set; }

    /// <summary>API tokens, stored only as SHA-256 hashes (the <c>hash-token</c> verb prints one).</summary>
    public List<ApiTokenOptions> Tokens { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    public bool ExplicitlyOff => string.Equals(Mode, "None", StringComparison.OrdinalIgnoreCase);

    public bool HasTokens => Tokens.Count > 0;

    public bool HasJwt => !string.IsNullOrWhiteSpace(Jwt.Authority);

    public bool Enabled => !ExplicitlyOff && (HasTokens || HasJwt);
}

public sealed class ApiTokenOptions
{
    /// <summary>Who the token belongs to; shown in logs instead of the token.</summary>
    public string Name { get; set; } = "";

    /// <summary>The token's SHA-256, as 64 hexadecimal digits.</summary>
    public string Sha256 { get; set; } = "";

    public List<string> Permissions { get; set; } = [];
}

public sealed class JwtOptions
{
    /// <summary>The most clock skew allowed between this server and the issuer.</summary>
    public const int MaxClockSkewSeconds = 60;

    /// <summary>Signature algorithms that may be pinned; <c>none</c> never is.</summary>
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new SortedSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    };

    /// <summary>The OpenID Connect issuer whose signing keys are trusted.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim holding the caller's permissions (a JSON array or space-separated values).</summary>
    public string PermissionClaim { get; set; } = "permissions";

    /// <summary>
    /// The signature algorithms accepted; a token signed any other way is refused. Unset: RS256, PS256 and ES256
    /// (a default list would be appended to by configuration binding, not replaced).
    /// </summary>
    public List<string>? Algorithms { get; set; }

    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms is { Count: > 0 } ? Algorithms : ["RS256", "PS256", "ES256"];

    /// <summary>How far the token's times may disagree with this server's clock, at most one minute.</summary>
    public int ClockSkewSeconds { get; set; } = MaxClockSkewSeconds;
}
