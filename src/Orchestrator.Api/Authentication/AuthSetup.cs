using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Authentication;

/// <summary>
/// Authentication (the orchestrator's API tokens, and JWTs from an OpenID Connect issuer when configured) and
/// the one authorization policy, <see cref="ViewJobsPolicy"/>. Everything is read from configuration when a
/// request needs it, so settings layered on after start-up code ran (tests, environment) are the ones used.
/// </summary>
public static class AuthSetup
{
    public const string ViewJobsPolicy = "ViewJobs";
    public const string DefaultScheme = "Orchestrator";
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddOrchestratorAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, DefaultScheme, options => options.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(JwtScheme, _ => { });

        services.AddOptions<JwtBearerOptions>(JwtScheme).Configure<IOptions<AuthOptions>>((options, auth) =>
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
                    JwtPermissions.Add(context.Principal!, jwt.PermissionClaim);
                    return Task.CompletedTask;
                },
            };
        });

        services.AddSingleton<IAuthorizationHandler, ViewJobsHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ViewJobsPolicy, policy => policy.AddRequirements(new ViewJobsRequirement()));
        return services;
    }

    /// <summary>
    /// Refuses to serve outside Development with no authentication configured, unless <c>Auth:Mode=None</c>
    /// says so on purpose (then a warning is logged). Development runs open with no set-up.
    /// </summary>
    public static void EnsureConfigured(IOptions<AuthOptions> options, IHostEnvironment environment, ILogger logger)
    {
        var auth = options.Value;
        if (auth.Enabled)
        {
            logger.LogInformation("Authentication on: {Tokens} API token(s){Jwt}",
                auth.Tokens.Count, auth.HasJwt ? $", JWTs from {auth.Jwt.Authority}" : "");
            return;
        }

        if (auth.ExplicitlyOff)
        {
            logger.LogWarning("Authentication is OFF (Auth:Mode=None): anyone who can reach this API can read every job");
            return;
        }

        if (environment.IsDevelopment())
        {
            logger.LogWarning("Authentication is off in Development because none is configured (see docs/operations.md)");
            return;
        }

        throw new InvalidOperationException(
            "No authentication is configured. Configure Auth:Tokens or Auth:Jwt:Authority, or set Auth:Mode=None " +
            "to serve jobs to anyone on purpose.");
    }

    private static string SchemeFor(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var token = Credentials.TokenOf(context.Request);
        var bearer = context.Request.Headers.Authorization.Count > 0 && !context.Request.Headers.ContainsKey(Credentials.TokenHeader);
        return auth.HasJwt && bearer && token is not null && Credentials.LooksLikeJwt(token)
            ? JwtScheme
            : ApiTokenAuthenticationHandler.SchemeName;
    }
}

/// <summary>Reading jobs needs <see cref="AuthOptions.ViewPermission"/>, unless authentication is off.</summary>
public sealed class ViewJobsRequirement : IAuthorizationRequirement;

public sealed class ViewJobsHandler(IOptions<AuthOptions> auth) : AuthorizationHandler<ViewJobsRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ViewJobsRequirement requirement)
    {
        if (!auth.Value.Enabled || context.User.HasClaim(Credentials.PermissionClaim, AuthOptions.ViewPermission))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Copies a JWT's permission claim (an array, or space-separated like OAuth scopes) into permission claims. Any
/// claim the token itself carries under the internal permission claim's name is dropped first, so permissions
/// come only from the configured claim.
/// </summary>
internal static class JwtPermissions
{
    public static void Add(System.Security.Claims.ClaimsPrincipal principal, string claimType)
    {
        var values = principal.FindAll(claimType)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct()
            .Select(v => new System.Security.Claims.Claim(Credentials.PermissionClaim, v))
            .ToArray();
        foreach (var identity in principal.Identities)
        {
            foreach (var carried in identity.FindAll(Credentials.PermissionClaim).ToArray())
                identity.TryRemoveClaim(carried);
        }

        if (principal.Identity is System.Security.Claims.ClaimsIdentity first)
            first.AddClaims(values);
    }
}
