using Microsoft.EntityFrameworkCore;
using Orchestrator.Api.Dashboard;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Http;
using Orchestrator.Api.OpenApi;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Seeding;

namespace Orchestrator.Api;

public static class WebApplicationExtensions
{
    /// <summary>
    /// The middleware order matters: failures outside MVC and empty 4xx/5xx answers (no route, wrong method, refused
    /// credentials) get their bodies from <see cref="OrchestratorErrors"/>, as the MVC filter's do.
    /// </summary>
    public static WebApplication UseOrchestratorPipeline(this WebApplication app)
    {
        // Only behind a proxy that sets (and strips) X-Forwarded-*.
        if (app.Configuration.GetValue<bool>("Orchestrator:ForwardedHeaders"))
            app.UseForwardedHeaders();

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = OrchestratorErrors.WriteExceptionAsync,
            AllowStatusCode404Response = true,
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStatusCodePages(OrchestratorErrors.WriteStatusAsync);
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseOrchestratorCors();
        app.UseMiddleware<FailedAuthenticationThrottleMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<ConditionalGetMiddleware>();
        app.UseMiddleware<OpenApiAccessMiddleware>();
        // Swagger UI calls the host it was loaded from; the document itself names no server.
        app.UseOpenApi(settings => settings.PostProcess = (document, _) => document.Servers.Clear());
        app.UseSwaggerUi();
        app.MapOrchestratorHealthChecks();
        app.MapControllers();
        app.MapBenchmarkCeiling();
        app.MapOrchestratorDashboard();
        return app;
    }

    public static void WarnWhenLinksFollowTheHostHeader(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
            return;
        var publicBaseUrl = app.Configuration["Orchestrator:PublicBaseUrl"];
        var allowedHosts = app.Configuration["AllowedHosts"];
        if (string.IsNullOrWhiteSpace(publicBaseUrl) && (string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Trim() == "*"))
            app.Logger.LogWarning(
                "Links in documents follow each request's Host header: set Orchestrator:PublicBaseUrl, or AllowedHosts " +
                "to this service's host names (see docs/operations.md)");
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();
        await scope.ServiceProvider.GetRequiredService<SqlServerReadiness>().EnsureReadyAsync();

        if (!app.Environment.IsDevelopment())
            return;
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        if (await db.Jobs.AnyAsync())
            return;
        var seeded = await new DemoDataSeeder(db).SeedAsync(new SeedOptions(), CancellationToken.None);
        app.Logger.LogInformation("Development: seeded an empty database with {Jobs} demo jobs", seeded.Jobs);
    }
}
