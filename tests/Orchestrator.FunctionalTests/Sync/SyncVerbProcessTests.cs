using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Sync;

/// <summary>The sync verb as an operator runs it: the built binary in its own process, its output and exit codes.</summary>
/// <remarks>
/// SqliteOnly: the verb's process writes its mirror into a SQLite file it is given; the engine's own tests
/// (<see cref="SyncTests"/>) run on both providers.
/// </remarks>
[TestFixture]
[Category("SqliteOnly")]
public sealed class SyncVerbProcessTests
{
    private const string Token = "sync-token-5e8a1c3b9d";
    private string _directory = null!;

    private string MirrorPath => Path.Combine(_directory, "mirror.db");

    private string TokenFile => Path.Combine(_directory, "token");

    [SetUp]
    public async Task CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "orchestrator-sync-verb", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("--prune")]
    [TestCase("--from")]
    [TestCase("--from", "ftp://orchestrator.example.com")]
    [TestCase("--from", "http://orchestrator.example.com:8143")]
    [TestCase("--from", "https://orchestrator.example.com:8143", "--concurrency", "0")]
    [TestCase("--from", "https://orchestrator.example.com:8143", "--watch", "soon")]
    [TestCase("--from", "https://orchestrator.example.com:8143", "--token-file", "missing-token")]
    [TestCase("--from", "https://orchestrator.example.com:8143", "--cacert", "missing-ca.pem")]
    [TestCase("--from", "https://orchestrator.example.com:8143", "--insecure")]
    public async Task Bad_arguments_or_configuration_exit_2_and_change_nothing(params string[] args)
    {
        var (exit, _, error) = await RunAsync(["sync", .. args]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(error, Is.Not.Empty);
            Assert.That(File.Exists(MirrorPath), Is.False, "nothing was written");
        }
    }

    [Test]
    public async Task A_dead_upstream_exits_4_quickly_and_the_token_never_shows()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var clock = Stopwatch.StartNew();

        var (exit, output, error) = await RunAsync("sync", "--from", $"http://127.0.0.1:{port}", "--token-file", TokenFile);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(4), error);
            Assert.That(error, Does.Contain("the upstream cannot be reached"));
            Assert.That(output + error, Does.Not.Contain(Token));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "process start-up plus less than the connect timeout");
        }
    }

    [Test]
    public async Task Mirrors_an_upstream_then_says_nothing_new_and_a_refused_token_exits_3()
    {
        await using var harness = await SyncHarness.StartAsync(builder =>
        {
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Auth:Tokens:0:Name", "sync");
            builder.UseSetting("Auth:Tokens:0:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token))));
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
        });
        await harness.ImportCaptureAsync();
        var from = harness.UpstreamUrl.ToString();
        var wrongToken = Path.Combine(_directory, "wrong-token");
        await File.WriteAllTextAsync(wrongToken, "not-the-sync-token");

        var refused = await RunAsync("sync", "--from", from, "--token-file", wrongToken);
        var first = await RunAsync("sync", "--from", from + "orchestrator/v1", "--token-file", TokenFile);
        var second = await RunAsync("sync", "--from", from, "--token-file", TokenFile);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Exit, Is.EqualTo(3), refused.Error);
            Assert.That(refused.Error, Does.Contain("refused (401 puppetlabs.rbac/invalid-token").And.Contain("orchestrator:view"));
            Assert.That(refused.Output + refused.Error, Does.Not.Contain("not-the-sync-token"));
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(first.Output, Does.Match(@"6 new, 0 updated, 0 unchanged, 0 skipped, 0 failed in [0-9.]+ s"));
            Assert.That(second.Exit, Is.Zero, second.Error);
            Assert.That(second.Output, Does.Contain("0 new, 0 updated, 6 unchanged, 0 skipped, 0 failed")
                .And.Contain("Nothing new upstream: the mirror was not written to."));
            Assert.That(first.Output, Does.Not.Contain("Revalidated"));
            Assert.That(second.Output, Does.Match(@"Revalidated [1-9][0-9]* of [1-9][0-9]* upstream requests with If-None-Match: 304 Not Modified"),
                "a new process sends the ETags the first one stored in the mirror's database");
            Assert.That(first.Output + first.Error + second.Output + second.Error, Does.Not.Contain(Token));
        }
    }

    [Test]
    public async Task Watch_repeats_until_SIGTERM_then_exits_0()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var start = StartInfo("sync", "--from", harness.UpstreamUrl.ToString(), "--watch", "1");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var summaries = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (summaries.Count < 2 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(" unchanged, ", StringComparison.Ordinal))
                summaries.Add(line);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(timeout.Token);
        var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(process.ExitCode, Is.Zero, await error + rest);
            Assert.That(summaries[0], Does.StartWith("6 new, 0 updated, 0 unchanged"));
            Assert.That(summaries[1], Does.StartWith("0 new, 0 updated, 6 unchanged"));
        }
    }

    [Test]
    public async Task Tls_is_verified_against_the_ca_given_with_cacert_and_nothing_else()
    {
        using var ca = CreateCertificateAuthority("CN=Puppet CA: puppet.example.com");
        using var server = IssueServerCertificate(ca, "CN=puppet.example.com");
        await using var harness = await SyncHarness.StartAsync(certificate: server);
        await harness.ImportCaptureAsync();
        var caFile = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.ExportCertificatePem());
        using var stranger = CreateCertificateAuthority("CN=Some other CA");
        var strangerFile = Path.Combine(_directory, "other-ca.pem");
        await File.WriteAllTextAsync(strangerFile, stranger.ExportCertificatePem());
        var from = harness.UpstreamUrl.ToString();
        Assert.That(from, Does.StartWith("https://127.0.0.1:"));

        var untrusted = await RunAsync("sync", "--from", from, "--token-file", TokenFile);
        var otherCa = await RunAsync("sync", "--from", from, "--token-file", TokenFile, "--cacert", strangerFile);
        var trusted = await RunAsync("sync", "--from", from, "--token-file", TokenFile, "--cacert", caFile);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(untrusted.Exit, Is.EqualTo(4), untrusted.Error);
            Assert.That(untrusted.Error, Does.Contain("the TLS connection failed").And.Contain("--cacert"));
            Assert.That(otherCa.Exit, Is.EqualTo(4), otherCa.Error);
            Assert.That(trusted.Exit, Is.Zero, trusted.Error);
            Assert.That(trusted.Output, Does.Contain("6 new, 0 updated"));
        }
    }

    private static X509Certificate2 CreateCertificateAuthority(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 IssueServerCertificate(X509Certificate2 ca, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => ApiProcess.RunAsync(StartInfo(args));

    private ProcessStartInfo StartInfo(params string[] args)
    {
        var start = ApiProcess.StartInfo(("Sqlite", $"Data Source={MirrorPath}"), _directory, "Testing", args);
        start.Environment["HOME"] = _directory; // no ~/.puppetlabs/token of the machine's
        return start;
    }
}
