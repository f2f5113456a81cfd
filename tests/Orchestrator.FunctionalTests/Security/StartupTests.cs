using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>
/// Fail closed: outside Development the API does not serve jobs unless authentication is set up or waived on
/// purpose, and a mistyped authentication setting stops the start, naming the setting and never its value.
/// </summary>
[TestFixture]
public sealed class StartupTests
{
    private const string GoodHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly object[] BadSettings =
    [
        new object[] { new[] { "Auth:Tokens:0:Sha256=zz" }, "Auth:Tokens:0:Sha256 must be 64 hexadecimal digits", "zz" },
        new object[] { new[] { "Auth:Tokens:0:Sha256=" + GoodHash[..63] }, "Auth:Tokens:0:Sha256 must be 64 hexadecimal digits", GoodHash[..63] },
        new object[] { new[] { "Auth:Tokens:0:Sha256=" + GoodHash[..40] }, "Auth:Tokens:0:Sha256 must be 64 hexadecimal digits", GoodHash[..40] },
        new object[] { new[] { "Auth:Tokens:0:Name=" }, "Auth:Tokens:0:Name is required", GoodHash },
        new object[] { new[] { "Auth:Tokens:0:Permissions:0=" }, "Auth:Tokens:0:Permissions:0 is empty", GoodHash },
        new object[]
        {
            new[] { "Auth:Tokens:1:Name=other", "Auth:Tokens:1:Sha256=" + GoodHash.Replace('9', '7') },
            "Auth:Tokens:1:Permissions needs at least one permission", GoodHash.Replace('9', '7'),
        },
        new object[]
        {
            new[] { "Auth:Tokens:1:Name=Dashboard", "Auth:Tokens:1:Sha256=" + GoodHash.Replace('9', '8'), "Auth:Tokens:1:Permissions:0=orchestrator:view" },
            "Auth:Tokens:1:Name repeats the name of Auth:Tokens:0", "Dashboard",
        },
        new object[]
        {
            new[] { "Auth:Tokens:1:Name=other", "Auth:Tokens:1:Sha256=" + GoodHash.ToUpperInvariant(), "Auth:Tokens:1:Permissions:0=orchestrator:view" },
            "Auth:Tokens:1:Sha256 repeats the hash of Auth:Tokens:0", GoodHash.ToUpperInvariant(),
        },
        new object[] { new[] { "Auth:Jwt:Authority=https://idp.example.com/secret-tenant" }, "Auth:Jwt:Audience is required when Auth:Jwt:Authority is set", "secret-tenant" },
        new object[] { new[] { "Auth:Jwt:Authority=http://idp.example.com/secret-tenant", "Auth:Jwt:Audience=orchestrator" }, "Auth:Jwt:Authority must be an absolute https URL", "secret-tenant" },
        new object[] { new[] { "Auth:Jwt:Audience=secret-audience" }, "Auth:Jwt:Audience is set but Auth:Jwt:Authority is not", "secret-audience" },
        new object[] { new[] { "Auth:Jwt:Authority=https://idp.example.com", "Auth:Jwt:Audience=orchestrator", "Auth:Jwt:ClockSkewSeconds=300" }, "Auth:Jwt:ClockSkewSeconds must be between 0 and 60", "300" },
        new object[] { new[] { "Auth:Jwt:Authority=https://idp.example.com", "Auth:Jwt:Audience=orchestrator", "Auth:Jwt:Algorithms:0=none" }, "Auth:Jwt:Algorithms:0 must be one of", "none," },
        new object[] { new[] { "Auth:Jwt:Authority=https://idp.example.com", "Auth:Jwt:Audience=orchestrator", "Auth:Jwt:PermissionClaim= " }, "Auth:Jwt:PermissionClaim is required", "idp.example.com" },
        new object[] { new[] { "Auth:Mode=Off" }, "Auth:Mode must be None or empty", "Off" },
    ];

    [TestCaseSource(nameof(BadSettings))]
    public async Task A_bad_authentication_setting_stops_the_start_naming_the_setting_not_its_value(string[] settings, string message, string value)
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Auth:Tokens:0:Name", "dashboard");
            builder.UseSetting("Auth:Tokens:0:Sha256", GoodHash);
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
            foreach (var setting in settings)
            {
                var (key, setValue) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                builder.UseSetting(key, setValue);
            }
        });

        var failure = Assert.Throws<OptionsValidationException>(() => app.CreateClient())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.Message, Does.Contain(message));
            Assert.That(failure.Message, Does.Not.Contain(value));
        }
    }

    [Test]
    public async Task A_bad_token_hash_stops_the_process_with_a_non_zero_exit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orchestrator-startup", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Orchestrator.Api.dll"));
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            start.Environment["ConnectionStrings__Orchestrator"] = $"Data Source={Path.Combine(directory, "startup.db")}";
            start.Environment["Database__Provider"] = "Sqlite";
            start.Environment["Auth__Tokens__0__Name"] = "dashboard";
            start.Environment["Auth__Tokens__0__Sha256"] = "zz";
            start.Environment["Auth__Tokens__0__Permissions__0"] = "orchestrator:view";

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var printed = await output + await error;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(process.ExitCode, Is.Not.Zero);
                Assert.That(printed, Does.Contain("Auth:Tokens:0:Sha256 must be 64 hexadecimal digits"));
                Assert.That(printed, Does.Not.Contain("Now listening"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("", "*", true, TestName = "Links_following_the_Host_header_are_warned_about")]
    [TestCase("https://orchestrator.example.com", "*", false, TestName = "A_public_base_url_needs_no_warning")]
    [TestCase("", "orchestrator.example.com", false, TestName = "Allowed_hosts_need_no_warning")]
    public async Task Outside_development_links_that_follow_the_host_header_are_warned_about(string publicBaseUrl, string allowedHosts, bool warned)
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new OrchestratorApiFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Orchestrator:PublicBaseUrl", publicBaseUrl);
            builder.UseSetting("AllowedHosts", allowedHosts);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        using var client = app.CreateClient();

        Assert.That(logs.Lines.Any(l => l.Contains("Links in documents follow each request's Host header", StringComparison.Ordinal)), Is.EqualTo(warned));
    }

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
