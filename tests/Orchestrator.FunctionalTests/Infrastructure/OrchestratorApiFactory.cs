using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Infrastructure.Import;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>
/// The real API over a real database: a fresh SQLite file by default, or a fresh database on the SQL Server
/// named by <c>ORCHESTRATOR_TEST_SQLSERVER</c> (a connection string; CI sets it in its SQL Server job).
/// Data goes in through the import path, as a user's capture would.
/// </summary>
public sealed class OrchestratorApiFactory : WebApplicationFactory<Program>
{
    public const string PublicBaseUrl = "https://orchestrator.example.com:8143";

    /// <summary>One minute after the running node of job 1236 started.</summary>
    public static readonly DateTimeOffset Now = new(2016, 5, 22, 10, 1, 6, TimeSpan.Zero);

    private readonly string _directory;
    private readonly string? _sqlServer;
    private readonly Lazy<bool> _sqlServerDatabase;
    private readonly bool _ownsDatabase;

    public OrchestratorApiFactory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        _sqlServer = SqlServerTestServer.NewDatabaseConnectionString();
        _ownsDatabase = true;
        _sqlServerDatabase = new(() =>
        {
            SqlServerTestServer.CreateDatabase(_sqlServer!);
            return true;
        });
    }

    /// <summary>Another API instance over the database of <paramref name="first"/>, which creates and removes it.</summary>
    public OrchestratorApiFactory(OrchestratorApiFactory first)
    {
        if (first._sqlServer is not null)
            _ = first._sqlServerDatabase.Value;
        _directory = first._directory;
        _sqlServer = first._sqlServer;
        _sqlServerDatabase = new(() => true);
    }

    public FakeTimeProvider Clock { get; } = new(Now);

    public string DatabasePath => Path.Combine(_directory, "orchestrator.db");

    public bool UsesSqlServer => _sqlServer is not null;

    /// <summary>The provider and connection string, as a verb in another process would be configured.</summary>
    public (string Provider, string ConnectionString) Database =>
        _sqlServer is null ? ("Sqlite", $"Data Source={DatabasePath}") : ("SqlServer", _sqlServer);

    /// <summary>Settings a test adds before the host starts; they win over the defaults above.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Orchestrator:PublicBaseUrl", PublicBaseUrl);
        // Outside Development the API refuses to start without authentication; the security tests configure it.
        builder.UseSetting("Auth:Mode", "None");
        if (_sqlServer is null)
        {
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Orchestrator", $"Data Source={DatabasePath}");
        }
        else
        {
            // Created before the host starts, so that it is migrated into a database that allows snapshot reads.
            _ = _sqlServerDatabase.Value;
            builder.UseSetting("Database:Provider", "SqlServer");
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Database:CommandTimeoutSeconds", "30");
            builder.UseSetting("ConnectionStrings:Orchestrator", _sqlServer);
        }

        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>Imports a file from TestData through the same importer the <c>import</c> verb uses.</summary>
    public Task<ImportResult> ImportAsync(string testDataFile) => ImportAsync(File.OpenRead(TestData.PathOf(testDataFile)));

    /// <summary>Imports a document the test built, through the same importer.</summary>
    public async Task<ImportResult> ImportAsync(Stream input)
    {
        var result = await TryImportAsync(input);
        Assert.That(result.Problems, Is.Empty, "the test data should import cleanly");
        return result;
    }

    /// <summary>Imports a document that may have problems, and answers the importer's result.</summary>
    public async Task<ImportResult> TryImportAsync(Stream input)
    {
        await using var source = input;
        StartServer(); // starts the host (in memory, or Kestrel after UseKestrel), which migrates the database
        await using var scope = Services.CreateAsyncScope();
        return await new JobImporter(scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>())
            .ImportAsync(source, CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sqlServer is not null && _ownsDatabase && _sqlServerDatabase.IsValueCreated)
            SqlServerTestServer.DropDatabase(_sqlServer);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDatabase && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
