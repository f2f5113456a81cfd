using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>Fail closed: outside Development the API does not serve jobs unless authentication is set up or waived on purpose.</summary>
[TestFixture]
public sealed class StartupTests
{
    [Test]
    public async Task Production_without_authentication_refuses_to_start()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Auth:Mode", "");
        });

        Assert.That(() => app.CreateClient(),
            Throws.InstanceOf<InvalidOperationException>().With.Message.Contains("No authentication is configured"));
    }

    [Test]
    public async Task Production_with_authentication_waived_starts_and_warns()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Auth:Mode", "None");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        using var client = app.CreateClient();
        using var response = await client.GetAsync("/orchestrator/v1/jobs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logs.Lines, Has.Some.Contains("Authentication is OFF (Auth:Mode=None)"));
        }
    }

    [Test]
    public async Task Development_without_set_up_runs_open_and_says_so()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Auth:Mode", "");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        using var client = app.CreateClient();
        using var response = await client.GetAsync("/orchestrator/v1/jobs?limit=1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logs.Lines, Has.Some.Contains("Authentication is off in Development"));
        }
    }
}
