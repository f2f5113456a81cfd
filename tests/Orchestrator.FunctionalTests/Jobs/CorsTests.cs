using System.Net;
using Microsoft.AspNetCore.Hosting;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>Cross-origin dashboards: allowed only from the configured origins, none by default.</summary>
[TestFixture]
public sealed class CorsTests
{
    private const string Dashboard = "https://dashboard.example.com";

    [Test]
    public async Task A_configured_origin_passes_the_preflight_and_sees_the_etag()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory
            .WithWebHostBuilder(builder => builder.UseSetting("Cors:AllowedOrigins:0", Dashboard))
            .CreateClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/orchestrator/v1/jobs");
        preflight.Headers.Add("Origin", Dashboard);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        using var answer = await client.SendAsync(preflight);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs");
        get.Headers.Add("Origin", Dashboard);
        using var response = await client.SendAsync(get);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(answer.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Dashboard }));
            Assert.That(answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain("GET"));
            Assert.That(answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), Does.Contain("If-None-Match").IgnoreCase);
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Dashboard }));
            Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("ETag"));
        }
    }

    [TestCase(null)]
    [TestCase("https://other.example.com")]
    public async Task Other_origins_get_no_cors_headers(string? configured)
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory
            .WithWebHostBuilder(builder =>
            {
                if (configured is not null)
                    builder.UseSetting("Cors:AllowedOrigins:0", configured);
            })
            .CreateClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/orchestrator/v1/jobs");
        preflight.Headers.Add("Origin", Dashboard);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var answer = await client.SendAsync(preflight);

        Assert.That(answer.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [TestCase(null)]
    [TestCase(Dashboard)]
    [TestCase("https://other.example.com")]
    public async Task Every_answer_varies_by_origin_while_origins_are_configured(string? origin)
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory
            .WithWebHostBuilder(builder => builder.UseSetting("Cors:AllowedOrigins:0", Dashboard))
            .CreateClient();

        using var get = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs?limit=1");
        if (origin is not null)
            get.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(get);
        using var again = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs?limit=1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.Vary, Is.EqualTo(new[] { "Origin" }));
            Assert.That(again.Headers.Vary, Is.EqualTo(new[] { "Origin" }), "a kept document too");
        }
    }

    [Test]
    public async Task Without_configured_origins_nothing_varies()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/orchestrator/v1/jobs?limit=1");

        Assert.That(response.Headers.Vary, Is.Empty);
    }
}
