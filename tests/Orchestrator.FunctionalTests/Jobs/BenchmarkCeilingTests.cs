using System.Net;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>The load-test ceiling endpoint exists only when Benchmark:CeilingEndpoint says so.</summary>
[TestFixture]
public sealed class BenchmarkCeilingTests
{
    [Test]
    public async Task Without_the_setting_the_ceiling_endpoint_is_not_found()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
