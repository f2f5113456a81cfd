using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Orchestrator.Api.Authentication;

/// <summary>Stops the start on a mistyped <c>Auth</c> setting; failures name the setting, never its value.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();

        if (!string.IsNullOrEmpty(options.Mode) && !options.ExplicitlyOff)
            failures.Add($"{AuthOptions.Section}:Mode must be None or empty");

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var hashes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            var path = Invariant($"{AuthOptions.Section}:Tokens:{i}");
            if (string.IsNullOrWhiteSpace(token.Name))
                failures.Add($"{path}:Name is required");
            else if (!names.TryAdd(token.Name.Trim(), i))
                failures.Add(Invariant($"{path}:Name repeats the name of {AuthOptions.Section}:Tokens:{names[token.Name.Trim()]}"));

            if (!IsSha256(token.Sha256))
                failures.Add($"{path}:Sha256 must be 64 hexadecimal digits");
            else if (!hashes.TryAdd(token.Sha256, i))
                failures.Add(Invariant($"{path}:Sha256 repeats the hash of {AuthOptions.Section}:Tokens:{hashes[token.Sha256]}"));

            if (token.Permissions.Count == 0)
                failures.Add($"{path}:Permissions needs at least one permission");
            for (var p = 0; p < token.Permissions.Count; p++)
            {
                if (string.IsNullOrWhiteSpace(token.Permissions[p]))
                    failures.Add(Invariant($"{path}:Permissions:{p} is empty"));
            }
        }

        ValidateJwt(options.Jwt, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateJwt(JwtOptions jwt, List<string> failures)
    {
        const string path = AuthOptions.Section + ":Jwt";
        var hasAuthority = !string.IsNullOrWhiteSpace(jwt.Authority);
        if (hasAuthority && !(Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps))
            failures.Add($"{path}:Authority must be an absolute https URL");
        if (hasAuthority && string.IsNullOrWhiteSpace(jwt.Audience))
            failures.Add($"{path}:Audience is required when {path}:Authority is set");
        if (!hasAuthority && !string.IsNullOrWhiteSpace(jwt.Audience))
            failures.Add($"{path}:Audience is set but {path}:Authority is not");
        if (string.IsNullOrWhiteSpace(jwt.PermissionClaim))
            failures.Add($"{path}:PermissionClaim is required");
        if (jwt.ClockSkewSeconds is < 0 or > JwtOptions.MaxClockSkewSeconds)
            failures.Add(Invariant($"{path}:ClockSkewSeconds must be between 0 and {JwtOptions.MaxClockSkewSeconds}"));
        var algorithms = jwt.Algorithms ?? [];
        for (var i = 0; i < algorithms.Count; i++)
        {
            if (!JwtOptions.SupportedAlgorithms.Contains(algorithms[i]))
                failures.Add(Invariant($"{path}:Algorithms:{i} must be one of {string.Join(", ", JwtOptions.SupportedAlgorithms)}"));
        }
    }

    private static bool IsSha256(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);
}
