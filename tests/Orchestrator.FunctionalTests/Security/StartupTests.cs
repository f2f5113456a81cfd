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

    [TestCase("Production", "None", "Authentication is OFF (Auth:Mode=None)", TestName = "Production_with_authentication_waived_starts_and_warns")]
    [TestCase("Development", "", "Authentication is off in Development", TestName = "Development_without_set_up_runs_open_and_says_so")]
    public async Task Runs_open_and_says_so(string environment, string authMode, string logLine)
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("Auth:Mode", authMode);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        using var client = app.CreateClient();
        using var response = await client.GetAsync("/orchestrator/v1/jobs?limit=1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logs.Lines, Has.Some.Contains(logLine));
        }
    }
}
