using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Client;

/// <summary>
/// The generated TypeScript client (src/Orchestrator.Client): its own tests, run by Node against the real API on
/// a real socket, and the committed client and OpenAPI document being exactly what the tools produce today.
/// </summary>
[TestFixture]
public sealed class TypeScriptClientTests
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static string ClientDirectory => Path.Combine(RepositoryRoot(), "src", "Orchestrator.Client");

    [Test]
    public async Task Client_tests_pass_against_the_running_api()
    {
        var (_, npm) = NodeTool.Require();
        await using var factory = new OrchestratorApiFactory();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        await factory.ImportAsync(TestData.Jobs);
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        if (NodeTool.NeedsInstall(ClientDirectory))
        {
            var install = await RunAsync(npm, ["ci"], ClientDirectory, InstallTimeout);
            Assert.That(install.ExitCode, Is.Zero, $"npm ci failed:\n{install.Output}");
        }

        var run = await RunAsync(npm, ["test"], ClientDirectory, RunTimeout, ("ORCHESTRATOR_BASE_URL", baseUrl));
        Assert.That(run.ExitCode, Is.Zero, $"npm test against {baseUrl} failed:\n{run.Output}");
    }

    [Test]
    public async Task Committed_client_is_what_nswag_generates_from_the_committed_document()
    {
        var root = RepositoryRoot();
        var generated = Path.Combine(Path.GetTempPath(), $"orchestrator-client-{Guid.NewGuid():N}.ts");
        try
        {
            var restore = await RunAsync("dotnet", ["tool", "restore"], root, InstallTimeout);
            Assert.That(restore.ExitCode, Is.Zero, $"dotnet tool restore failed:\n{restore.Output}");
            var run = await RunAsync("dotnet", ["tool", "run", "nswag", "run", "src/Orchestrator.Client/nswag.json", $"/variables:Output={generated}"], root, RunTimeout);
            Assert.That(run.ExitCode, Is.Zero, $"nswag failed:\n{run.Output}");

            var committed = await File.ReadAllTextAsync(Path.Combine(ClientDirectory, "orchestrator-client.ts"));
            Assert.That(Lf(await File.ReadAllTextAsync(generated)), Is.EqualTo(Lf(committed)),
                "src/Orchestrator.Client/orchestrator-client.ts is stale: run `dotnet tool run nswag run src/Orchestrator.Client/nswag.json` "
                + "from the repository root and commit the result");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    [Test]
    public async Task Committed_document_is_what_the_api_serves()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();
        var served = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "openapi.json")));

        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "docs/openapi.json differs from what the API serves: run `dotnet run --project src/Orchestrator.Api -- openapi docs/openapi.json`, "
            + "review the diff, regenerate the client and commit both");
    }

    private static string Lf(string text) => text.ReplaceLineEndings("\n");

    private static string RepositoryRoot() => NodeTool.RepositoryRoot();

    private static Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, TimeSpan timeout, params (string Name, string Value)[] environment) =>
        NodeTool.RunAsync(fileName, arguments, workingDirectory, timeout, environment.ToDictionary(e => e.Name, e => e.Value));
}
