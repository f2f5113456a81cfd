namespace Orchestrator.Api.Authentication;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string ViewPermission = "orchestrator:view";

    public string? Mode { get; set; }

    public List<ApiTokenOptions> Tokens { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    public bool ExplicitlyOff => string.Equals(Mode, "None", StringComparison.OrdinalIgnoreCase);

    public bool HasJwt => !string.IsNullOrWhiteSpace(Jwt.Authority);

    public bool Enabled => !ExplicitlyOff && (Tokens.Count > 0 || HasJwt);
}

public sealed class ApiTokenOptions
{
    /// <summary>Who the token belongs to; logged instead of the token.</summary>
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public List<string> Permissions { get; set; } = [];
}

public sealed class JwtOptions
{
    public const int MaxClockSkewSeconds = 60;

    public static readonly IReadOnlySet<string> SupportedAlgorithms = new SortedSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    };

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim holding the caller's permissions (a JSON array or space-separated values).</summary>
    public string PermissionClaim { get; set; } = "permissions";

    /// <summary>Null by default: configuration binding would append to a default list rather than replace it.</summary>
    public List<string>? Algorithms { get; set; }

    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms is { Count: > 0 } ? Algorithms : ["RS256", "PS256", "ES256"];

    public int ClockSkewSeconds { get; set; } = MaxClockSkewSeconds;
}
