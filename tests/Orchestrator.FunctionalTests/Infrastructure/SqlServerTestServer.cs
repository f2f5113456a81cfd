using Microsoft.Data.SqlClient;

namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>
/// The SQL Server named by <c>ORCHESTRATOR_TEST_SQLSERVER</c> (a connection string; CI sets it in its SQL Server
/// job). Each test database is created empty with the snapshot settings the API needs (docs/operations.md), so
/// the tests do not depend on how the server's <c>model</c> database is set, and dropped afterwards.
/// </summary>
public static class SqlServerTestServer
{
    public const string Variable = "ORCHESTRATOR_TEST_SQLSERVER";

    public static bool Configured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    /// <summary>A connection string naming a database no one uses yet, or null when no server is configured.</summary>
    public static string? NewDatabaseConnectionString() =>
        Configured
            ? new SqlConnectionStringBuilder(Environment.GetEnvironmentVariable(Variable))
            {
                InitialCatalog = $"orchestrator_test_{Guid.NewGuid():N}",
            }.ConnectionString
            : null;

    /// <summary>Creates the database the connection string names (when it does not exist) and allows snapshot reads in it.</summary>
    public static void CreateDatabase(string connectionString)
    {
        var name = Quoted(connectionString);
        // Separate batches: the ALTERs name a database that does not exist when the first batch is compiled.
        Execute(connectionString, $"IF DB_ID(N'{new SqlConnectionStringBuilder(connectionString).InitialCatalog}') IS NULL CREATE DATABASE {name};");
        Execute(connectionString, $"ALTER DATABASE {name} SET ALLOW_SNAPSHOT_ISOLATION ON;");
        Execute(connectionString, $"ALTER DATABASE {name} SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;");
    }

    public static void DropDatabase(string connectionString)
    {
        SqlConnection.ClearAllPools();
        var name = Quoted(connectionString);
        Execute(connectionString, $"""
            IF DB_ID(N'{new SqlConnectionStringBuilder(connectionString).InitialCatalog}') IS NOT NULL
            BEGIN
                ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
                DROP DATABASE {name};
            END
            """);
    }

    private static string Quoted(string connectionString)
    {
        var name = new SqlConnectionStringBuilder(connectionString).InitialCatalog;
        // Names come from NewDatabaseConnectionString: a prefix and a GUID's hex digits.
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"Unexpected test database name: {name}", nameof(connectionString));
        return $"[{name}]";
    }

    private static void Execute(string connectionString, string sql)
    {
        var master = new SqlConnectionStringBuilder(connectionString) { InitialCatalog = "master", Pooling = false };
        using var connection = new SqlConnection(master.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        command.ExecuteNonQuery();
    }
}
