namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>Recognises a table in SQL text however the provider quotes it: <c>"Jobs"</c> on SQLite, <c>[Jobs]</c> on SQL Server.</summary>
public static class SqlText
{
    public static bool Names(string sql, params string[] tables) =>
        tables.Any(table => sql.Contains($"\"{table}\"", StringComparison.Ordinal) || sql.Contains($"[{table}]", StringComparison.Ordinal));

    public static bool ReadsFrom(string sql, string table) =>
        sql.Contains($"FROM \"{table}\"", StringComparison.Ordinal) || sql.Contains($"FROM [{table}]", StringComparison.Ordinal);
}
