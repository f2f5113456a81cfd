using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Authentication;

/// <summary>Settings are read when a request needs them, so those layered on after start-up (tests) are used.</summary>
public static class AuthSetup
{
    public const string ViewJobsPolicy = "ViewJobs";
    private const string DefaultScheme = "Orchestrator";

    public static IServiceCollection AddOrchestratorAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, DefaultScheme, options => options.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((options, auth) =>
        {
            var jwt = auth.Value.Jwt;
            options.Authority = jwt.Authority;
            options.Audience = jwt.Audience;
            // The validator refuses an authority without an audience, so audience validation is never off.
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidAlgorithms = jwt.AcceptedAlgorithms;
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds);
            options.MapInboundClaims = false;
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    CopyPermissions(context.Principal!, jwt.PermissionClaim);
                    return Task.CompletedTask;
                },
            };
        });

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((options, auth) =>
            options.AddPolicy(ViewJobsPolicy, policy => policy.RequireAssertion(context =>
                !auth.Value.Enabled || context.User.HasClaim(Credentials.PermissionClaim, AuthOptions.ViewPermission))));
        return services;
    }

    public static void EnsureAuthenticationConfigured(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.Enabled)
        {
            app.Logger.LogInformation("Authentication on: {Tokens} API token(s){Jwt}",
                auth.Tokens.Count, auth.HasJwt ? $", JWTs from {auth.Jwt.Authority}" : "");
        }
        else if (auth.ExplicitlyOff)
        {
            app.Logger.LogWarning("Authentication is OFF (Auth:Mode=None): anyone who can reach this API can read every job");
        }
        else if (app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("Authentication is off in Development because none is configured (see docs/operations.md)");
        }
        else
        {
            throw new InvalidOperationException(
                "No authentication is configured. Configure Auth:Tokens or Auth:Jwt:Authority, or set Auth:Mode=None " +
                "to serve jobs to anyone on purpose.");
        }
    }

    private static string SchemeFor(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var token = Credentials.TokenOf(context.Request);
        var bearer = context.Request.Headers.Authorization.Count > 0 && !context.Request.Headers.ContainsKey(Credentials.TokenHeader);
        return auth.HasJwt && bearer && token is not null && Credentials.LooksLikeJwt(token)
            ? JwtBearerDefaults.AuthenticationScheme
            : ApiTokenAuthenticationHandler.SchemeName;
    }

    /// <summary>Permissions come only from the configured claim: one the token carries under the internal name is dropped.</summary>
    private static void CopyPermissions(ClaimsPrincipal principal, string claimType)
    {
        var values = principal.FindAll(claimType)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct()
            .Select(v => new Claim(Credentials.PermissionClaim, v))
            .ToArray();
        foreach (var identity in principal.Identities)
        {
            foreach (var carried in identity.FindAll(Credentials.PermissionClaim).ToArray())
                identity.TryRemoveClaim(carried);
        }

        if (principal.Identity is ClaimsIdentity first)
            first.AddClaims(values);
    }
}
