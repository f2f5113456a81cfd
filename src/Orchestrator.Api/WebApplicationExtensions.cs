using Microsoft.EntityFrameworkCore;
using Orchestrator.Api.Http;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Seeding;

namespace Orchestrator.Api;

public static class WebApplicationExtensions
{
    /// <summary>
    /// The middleware order matters: failures outside MVC and empty 4xx/5xx answers (no route, wrong method)
    /// are re-executed into <c>ErrorsController</c>, so the one error filter writes every error body.
    /// </summary>
    public static WebApplication UseOrchestratorPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/errors/500");
        app.UseStatusCodePagesWithReExecute("/errors/{0}");
        app.UseCors();
        app.UseMiddleware<ConditionalGetMiddleware>();
        // Swagger UI calls the host it was loaded from; the document itself names no server.
        app.UseOpenApi(settings => settings.PostProcess = (document, _) => document.Servers.Clear());
        app.UseSwaggerUi();
        app.MapControllers();
        app.MapBenchmarkCeiling();
        return app;
    }

    /// <summary>Migrates where allowed; in Development an empty database gets demo data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();

        if (!app.Environment.IsDevelopment())
            return;
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        if (await db.Jobs.AnyAsync())
            return;
        var seeded = await new DemoDataSeeder(db).SeedAsync(new SeedOptions(), CancellationToken.None);
        app.Logger.LogInformation("Development: seeded an empty database with {Jobs} demo jobs", seeded.Jobs);
    }
}
