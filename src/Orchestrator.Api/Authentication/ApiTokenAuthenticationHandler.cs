using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Authentication;

/// <summary>Every configured hash is compared in constant time, so neither the match nor its position shows.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    private readonly (string Name, byte[] Hash, string[] Permissions)[] _tokens = auth.Value.Tokens
        .Select(t => (t.Name, Convert.FromHexString(t.Sha256), t.Permissions.ToArray()))
        .ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Credentials.TokenOf(Request);
        if (token is null)
            return Task.FromResult(AuthenticateResult.NoResult());

        var hash = Hash(token);
        var match = -1;
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _tokens[i].Hash))
                match = i;
        }

        if (match < 0)
            return Task.FromResult(AuthenticateResult.Fail("The API token does not match any configured token."));

        var (name, _, permissions) = _tokens[match];
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. permissions.Select(p => new Claim(Credentials.PermissionClaim, p))],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
