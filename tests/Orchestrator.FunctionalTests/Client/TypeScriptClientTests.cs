using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
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
    private const string NodeMissing = "install Node.js 20+ (https://nodejs.org) to run the client tests";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static string ClientDirectory => Path.Combine(RepositoryRoot(), "src", "Orchestrator.Client");

    [Test]
    public async Task Client_tests_pass_against_the_running_api()
    {
        var npm = RequireNode();
        await using var factory = new OrchestratorApiFactory();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        await factory.ImportAsync(TestData.Jobs);
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        if (NeedsInstall(ClientDirectory))
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

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Orchestrator.sln above {TestContext.CurrentContext.TestDirectory}");
    }

    /// <summary>npm ci when node_modules is missing or older than package-lock.json (npm keeps its own copy in node_modules).</summary>
    private static bool NeedsInstall(string directory)
    {
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        return !File.Exists(installed)
            || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json"));
    }

    /// <summary>The npm to run, after checking that node 20 or later is on PATH; fails the test with what to install if not.</summary>
    private static string RequireNode()
    {
        var node = FindOnPath(OperatingSystem.IsWindows() ? ["node.exe"] : ["node"]);
        var npm = FindOnPath(OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe"] : ["npm"]);
        if (node is null || npm is null)
            Assert.Fail($"{(node is null ? "node" : "npm")} is not on PATH: {NodeMissing}");

        var version = Process.Start(new ProcessStartInfo(node!, "--version") { RedirectStandardOutput = true })!;
        var text = version.StandardOutput.ReadToEnd().Trim();
        version.WaitForExit();
        var major = int.TryParse(text.TrimStart('v').Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        if (major < 20)
            Assert.Fail($"node {text} is too old: {NodeMissing}");
        return npm!;
    }

    private static string? FindOnPath(string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
                Assert.Fail($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout}:\n{output}");
        }

        await process.WaitForExitAsync(); // drains the redirected output
        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
