using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
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
    public const string SqlServerVariable = "ORCHESTRATOR_TEST_SQLSERVER";

    /// <summary>One minute after the running node of job 1236 started.</summary>
    public static readonly DateTimeOffset Now = new(2016, 5, 22, 10, 1, 6, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _sqlServer = SqlServerConnectionString();

    public FakeTimeProvider Clock { get; } = new(Now);

    public string DatabasePath => Path.Combine(_directory, "orchestrator.db");

    public bool UsesSqlServer => _sqlServer is not null;

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
        await using var source = input;
        StartServer(); // starts the host (in memory, or Kestrel after UseKestrel), which migrates the database
        await using var scope = Services.CreateAsyncScope();
        var result = await new JobImporter(scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>())
            .ImportAsync(source, CancellationToken.None);
        Assert.That(result.Problems, Is.Empty, "the test data should import cleanly");
        return result;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_sqlServer is not null)
        {
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>().Database.EnsureDeletedAsync();
        }

        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private static string? SqlServerConnectionString()
    {
        var configured = Environment.GetEnvironmentVariable(SqlServerVariable);
        if (string.IsNullOrWhiteSpace(configured))
            return null;
        return new SqlConnectionStringBuilder(configured) { InitialCatalog = $"orchestrator_test_{Guid.NewGuid():N}" }.ConnectionString;
    }
}
