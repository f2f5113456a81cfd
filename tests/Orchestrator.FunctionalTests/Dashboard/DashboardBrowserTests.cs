using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Dashboard;

/// <summary>
/// The dashboard (src/Orchestrator.Dashboard) in a real browser: Debian's Chromium driven by playwright-core, against
/// the real API on a real socket loaded through the importer. Each test runs one case of test/cases.ts; screenshots
/// and the axe report are attached to the test.
/// </summary>
[TestFixture]
public sealed class DashboardBrowserTests
{
    private const string ChromiumMissing = "install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(3);

    private string _node = "";
    private string _chromium = "";

    private static string DashboardDirectory => Path.Combine(NodeTool.RepositoryRoot(), "src", "Orchestrator.Dashboard");

    private static string Dist => Path.Combine(DashboardDirectory, "dist");

    [OneTimeSetUp]
    public async Task BuildTheDashboard()
    {
        (_node, var npm) = NodeTool.Require();
        _chromium = RequireChromium();
        var environment = new Dictionary<string, string> { ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1" };
        if (NodeTool.NeedsInstall(DashboardDirectory))
        {
            var install = await NodeTool.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], DashboardDirectory, InstallTimeout, environment);
            Assert.That(install.ExitCode, Is.Zero, $"npm ci failed:\n{install.Output}");
        }

        // Built here too, so the browser sees the sources as they are even when the API's build skipped Node.
        foreach (var script in new[] { "build", "build:tests" })
        {
            var build = await NodeTool.RunAsync(npm, ["run", script], DashboardDirectory, InstallTimeout, environment);
            Assert.That(build.ExitCode, Is.Zero, $"npm run {script} failed:\n{build.Output}");
        }
    }

    [Test]
    public Task The_list_loads_pages_and_orders() => RunAsync("list");

    [Test]
    public Task Filters_come_from_the_url_and_go_back_into_it() => RunAsync("filter");

    [Test]
    public Task The_job_page_shows_statuses_nodes_and_events() => RunAsync("job");

    [Test]
    public Task Axe_finds_no_serious_violation_and_the_keyboard_reaches_every_action() => RunAsync("axe");

    [Test]
    public Task An_outage_shows_a_banner_that_retries() => RunAsync("outage");

    [Test]
    public async Task Javascript_and_css_stay_within_100_kb_gzipped()
    {
        var (exitCode, output) = await RunCaseAsync("size", "http://127.0.0.1:9/dashboard/", []);
        Assert.That(exitCode, Is.Zero, output);
    }

    [Test]
    public async Task The_tail_picks_up_events_imported_while_it_watches_and_stops_when_the_job_finishes()
    {
        await using var factory = await StartAsync();
        var job = RunningJob();
        var (exitCode, output) = await RunCaseAsync("tail", DashboardUrl(factory), [], async line =>
        {
            switch (line)
            {
                case "STAGE watching":
                    await factory.ImportAsync(Document(MoreEvents(job)));
                    return "go";
                case "STAGE picked-up":
                    await factory.ImportAsync(Document(Finished(MoreEvents(job))));
                    return "go";
                default:
                    return null;
            }
        });
        Assert.That(exitCode, Is.Zero, output);
    }

    [Test]
    public async Task A_wrong_token_leads_to_the_prompt_and_the_right_one_to_the_jobs()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var factory = await StartAsync(new()
        {
            ["Auth:Mode"] = "",
            ["Auth:Tokens:0:Name"] = "dashboard",
            ["Auth:Tokens:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))),
            ["Auth:Tokens:0:Permissions:0"] = "orchestrator:view",
        });
        var (exitCode, output) = await RunCaseAsync("token", DashboardUrl(factory), new() { ["DASHBOARD_TOKEN"] = token });
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain(token), "the token is never printed");
    }

    [Test]
    public async Task Served_from_another_origin_it_calls_the_api_through_cors()
    {
        var (apiPort, dashboardPort) = (FreePort(), FreePort());
        var api = $"http://127.0.0.1:{apiPort}";
        var dashboard = $"http://127.0.0.1:{dashboardPort}";
        await using var factory = await StartAsync(new()
        {
            ["Cors:AllowedOrigins:0"] = dashboard,
            ["Dashboard:ApiBaseUrl"] = api,
        }, apiPort, dashboardPort);
        var (exitCode, output) = await RunCaseAsync("cors", $"{dashboard}/dashboard/", new() { ["API_ORIGIN"] = api });
        Assert.That(exitCode, Is.Zero, output);
    }

    private async Task RunAsync(string name)
    {
        await using var factory = await StartAsync();
        var (exitCode, output) = await RunCaseAsync(name, DashboardUrl(factory), []);
        Assert.That(exitCode, Is.Zero, output);
    }

    /// <summary>The API on 127.0.0.1 (a free port, or the ones given), serving the freshly built dashboard, loaded with jobs.json.</summary>
    private static async Task<OrchestratorApiFactory> StartAsync(Dictionary<string, string?>? settings = null, params int[] ports)
    {
        var factory = new OrchestratorApiFactory();
        factory.Settings["Dashboard:Path"] = Dist;
        foreach (var (key, value) in settings ?? [])
            factory.Settings[key] = value;
        factory.UseKestrel(options =>
        {
            foreach (var port in ports.Length == 0 ? [0] : ports)
                options.Listen(IPAddress.Loopback, port);
        });
        factory.StartServer();
        await factory.ImportAsync(TestData.Jobs);
        return factory;
    }

    private static string DashboardUrl(OrchestratorApiFactory factory) =>
        factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/dashboard/";

    private async Task<(int ExitCode, string Output)> RunCaseAsync(
        string name, string dashboardUrl, Dictionary<string, string> environment, Func<string, Task<string?>>? onLine = null)
    {
        var artifacts = Path.Combine(TestContext.CurrentContext.WorkDirectory, "dashboard-artifacts", name);
        if (Directory.Exists(artifacts))
            Directory.Delete(artifacts, recursive: true);
        environment["DASHBOARD_URL"] = dashboardUrl;
        environment["CHROMIUM_PATH"] = _chromium;
        environment["ARTIFACTS"] = artifacts;
        var result = await NodeTool.RunAsync(_node, [Path.Combine("dist-test", "cases.js"), name], DashboardDirectory, CaseTimeout, environment, onLine);
        if (Directory.Exists(artifacts))
        {
            foreach (var file in Directory.EnumerateFiles(artifacts))
                TestContext.AddTestAttachment(file, $"{name}: {Path.GetFileNameWithoutExtension(file)}");
        }

        return result;
    }

    private static string RequireChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        var found = !string.IsNullOrWhiteSpace(configured) ? configured
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
            : NodeTool.FindOnPath(["chromium", "chromium-browser", "google-chrome"]);
        if (found is null || !File.Exists(found))
            Assert.Fail($"no Chromium found: {ChromiumMissing}");
        return found!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Job 1236 of jobs.json: a plan task running on three nodes, with three events so far.</summary>
    private static JsonObject RunningJob()
    {
        var jobs = JsonNode.Parse(File.ReadAllText(TestData.PathOf(TestData.Jobs)))!["jobs"]!.AsArray();
        return jobs.Single(j => j!["job"]!["id"]!.GetValue<string>().EndsWith("/1236", StringComparison.Ordinal))!.DeepClone().AsObject();
    }

    /// <summary>Two minutes on: web-01 finished, web-03 started (events 304 and 305); the job still runs.</summary>
    private static JsonObject MoreEvents(JsonObject running)
    {
        var job = running.DeepClone().AsObject();
        var nodes = job["nodes"]!.AsArray();
        Node(nodes, "web-01.example.com")["state"] = "finished";
        Node(nodes, "web-01.example.com")["finish_timestamp"] = "2016-05-22T10:00:40Z";
        Node(nodes, "web-01.example.com")["timestamp"] = "2016-05-22T10:00:40Z";
        Node(nodes, "web-01.example.com")["result"] = new JsonObject { ["_output"] = "nginx restarted" };
        Node(nodes, "web-03.example.com")["state"] = "running";
        Node(nodes, "web-03.example.com")["start_timestamp"] = "2016-05-22T10:00:30Z";
        Node(nodes, "web-03.example.com")["timestamp"] = "2016-05-22T10:00:30Z";
        var events = job["events"]!.AsArray();
        events.Add(Event("304", "node_running", "2016-05-22T10:00:30Z", "web-03.example.com", "Started task service::restart on web-03.example.com"));
        events.Add(Event("305", "node_finished", "2016-05-22T10:00:40Z", "web-01.example.com", "Finished task service::restart on web-01.example.com"));
        return job;
    }

    /// <summary>Then web-03 finished (306) and the job with it (307, job_finished).</summary>
    private static JsonObject Finished(JsonObject running)
    {
        var job = running.DeepClone().AsObject();
        var web03 = Node(job["nodes"]!.AsArray(), "web-03.example.com");
        web03["state"] = "finished";
        web03["finish_timestamp"] = "2016-05-22T10:01:50Z";
        web03["timestamp"] = "2016-05-22T10:01:50Z";
        var events = job["events"]!.AsArray();
        events.Add(Event("306", "node_finished", "2016-05-22T10:01:50Z", "web-03.example.com", "Finished task service::restart on web-03.example.com"));
        events.Add(new JsonObject { ["id"] = "307", ["type"] = "job_finished", ["timestamp"] = "2016-05-22T10:02:00Z", ["details"] = new JsonObject(), ["message"] = "Finished the job" });
        var header = job["job"]!.AsObject();
        header["state"] = "finished";
        header["timestamp"] = "2016-05-22T10:02:00Z";
        var status = header["status"]!.AsArray();
        status[^1]!["exit_time"] = "2016-05-22T10:02:00Z";
        status.Add(new JsonObject { ["state"] = "finished", ["enter_time"] = "2016-05-22T10:02:00Z", ["exit_time"] = null });
        return job;
    }

    private static JsonObject Node(JsonArray nodes, string name) => nodes.Single(n => n!["name"]!.GetValue<string>() == name)!.AsObject();

    private static JsonObject Event(string id, string type, string timestamp, string node, string message) => new()
    {
        ["id"] = id, ["type"] = type, ["timestamp"] = timestamp, ["message"] = message,
        ["details"] = new JsonObject { ["node"] = node, ["detail"] = new JsonObject() },
    };

    private static MemoryStream Document(JsonObject job) =>
        new(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = new JsonArray(job) }.ToJsonString()));
}
