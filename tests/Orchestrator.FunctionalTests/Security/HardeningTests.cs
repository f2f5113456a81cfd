using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>Headers, HTTPS, rate limits and the read-only request path.</summary>
[TestFixture]
public sealed class HardeningTests
{
    [Test]
    public async Task Every_answer_carries_the_security_headers_and_no_banner()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();

        foreach (var url in new[] { "/orchestrator/v1/jobs", "/orchestrator/v1/jobs/999", "/nowhere", "/healthz" })
        {
            using var response = await client.GetAsync(url);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }), url);
                Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }), url);
                Assert.That(response.Headers.Contains("Server"), Is.False, url);
            }
        }
    }

    [Test]
    public async Task Outside_development_http_is_redirected_and_https_gets_hsts()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder => builder.UseSetting("https_port", "8143"));
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://orchestrator.example.com"),
            AllowAutoRedirect = false,
        });
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://orchestrator.example.com") });

        using var redirected = await http.GetAsync("/orchestrator/v1/jobs?limit=1");
        using var secure = await https.GetAsync("/orchestrator/v1/jobs?limit=1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.TemporaryRedirect));
            Assert.That(redirected.Headers.Location, Is.EqualTo(new Uri("https://orchestrator.example.com:8143/orchestrator/v1/jobs?limit=1")));
            Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(secure.Headers.GetValues("Strict-Transport-Security").Single(), Does.StartWith("max-age=31536000"));
        }
    }

    [Test]
    public async Task A_client_over_its_rate_gets_429_in_the_error_shape()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimit:PermitsPerWindow", "3");
            builder.UseSetting("RateLimit:WindowSeconds", "60");
        });
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync("/orchestrator/v1/jobs?limit=1");
            statuses.Add(last.StatusCode);
        }

        using (last)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
                Assert.That(last!.Headers.RetryAfter, Is.Not.Null);
            }

            JsonAssert.AreEqual(
                """{"kind":"puppetlabs.orchestrator/rate-limited","msg":"Too many requests; try again shortly","details":{}}""",
                await last!.Content.ReadAsStringAsync());
        }

        using var health = await client.GetAsync("/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "health is not rate limited");
    }

    [Test]
    public async Task Rate_limiting_is_off_by_default()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();
        for (var i = 0; i < 50; i++)
        {
            using var response = await client.GetAsync("/orchestrator/v1/jobs?limit=0");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    // On SQL Server the request path is read-only by the login's permissions (db_datareader, docs/operations.md),
    // which the test server's single administrator login cannot show; SQLite opens the request's file read-only.
    [Test]
    [Category(TestCategories.SqliteOnly)]
    public async Task The_request_path_reads_through_a_read_only_connection()
    {
        await using var factory = new OrchestratorApiFactory();
        await factory.ImportAsync(TestData.Jobs);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService<IOrchestratorDbContext>();

        Assert.That(async () => await db.Database.ExecuteSqlRawAsync("DELETE FROM \"NodeEvents\""),
            Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>().With.Message.Contains("readonly"));
        Assert.That(await ((IOrchestratorDbContext)db).NodeEvents.CountAsync(), Is.EqualTo(22));
    }

    [TestCase(true, "https://proxy.example.com:8143/api/orchestrator/v1/jobs/1234")]
    [TestCase(false, "http://localhost/orchestrator/v1/jobs/1234")]
    public async Task Forwarded_headers_shape_links_only_when_enabled(bool enabled, string expectedId)
    {
        await using var factory = new OrchestratorApiFactory();
        await factory.ImportAsync(TestData.Jobs);
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Orchestrator:PublicBaseUrl", "");
            builder.UseSetting("Orchestrator:ForwardedHeaders", enabled ? "true" : "false");
        });
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs/1234");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "proxy.example.com:8143");
        request.Headers.Add("X-Forwarded-Prefix", "/api");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await client.SendAsync(request);
        var job = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(job["id"]!.GetValue<string>(), Is.EqualTo(expectedId));
    }
}
