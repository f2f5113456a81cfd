using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The seed's fast path on SQLite (docs/performance.md): prepared INSERTs rebound for each row on the DbContext's
/// own connection, no change tracking, and for the duration of the load WAL, <c>synchronous=OFF</c>, a large page
/// cache and no foreign key checks. Writes exactly the rows EF Core writes for the same jobs.
/// </summary>
internal sealed class SqliteBulkJobWriter : JobWriter, IDisposable
{
    private readonly SqliteCommand _job;
    private readonly SqliteCommand _status;
    private readonly SqliteCommand _node;
    private readonly SqliteCommand _event;

    // Handed out here, so that events can name their node without reading ids back.
    private long _nextNodeId;
    private long _nextStatusId;

    private SqliteBulkJobWriter(OrchestratorDbContext db, SqliteConnection connection)
        : base(db)
    {
        _job = Prepare(connection, "Jobs",
            "Id", "Type", "State", "Command", "Description", "EnvironmentName", "OwnerId", "OwnerLogin", "OwnerJson",
            "OptionsJson", "UserdataJson", "TaskName", "Timestamp", "FinishedAt");
        _status = Prepare(connection, "JobStatuses", "Id", "JobId", "State", "EnterTime", "ExitTime");
        _node = Prepare(connection, "JobNodes",
            "Id", "JobId", "Name", "State", "Timestamp", "StartTimestamp", "FinishTimestamp", "TransactionUuid",
            "Transport", "DetailsJson", "ResultJson");
        _event = Prepare(connection, "NodeEvents", "Id", "JobId", "NodeId", "Type", "Timestamp", "Message", "DetailsJson");
        _nextNodeId = NextId(connection, "JobNodes");
        _nextStatusId = NextId(connection, "JobStatuses");
    }

    /// <summary>Runs <paramref name="write"/> in one transaction, committed only when <paramref name="commit"/> says so of its result.</summary>
    public static async Task<T> RunBulkAsync<T>(
        OrchestratorDbContext db, Func<JobWriter, CancellationToken, Task<T>> write, Func<T, bool> commit, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var journalMode = Scalar(connection, "PRAGMA journal_mode");
        var restore = $"PRAGMA synchronous={Scalar(connection, "PRAGMA synchronous")}; " +
            $"PRAGMA cache_size={Scalar(connection, "PRAGMA cache_size")}; PRAGMA foreign_keys={Scalar(connection, "PRAGMA foreign_keys")}";
        try
        {
            // The generated rows are consistent by construction; checking each key is a large share of the load.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF");
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Secondary indexes are built once at the end rather than maintained row by row; unique ones stay to
            // check the rows. Dropping is part of the transaction, so a rollback restores them.
            var indexes = SecondaryIndexes(connection);
            foreach (var (name, _) in indexes)
                Execute(connection, $"DROP INDEX \"{name}\"");

            using var writer = new SqliteBulkJobWriter(db, connection);
            var result = await write(writer, ct);
            if (commit(result))
            {
                foreach (var (_, sql) in indexes)
                    Execute(connection, sql);
                await DataVersion.BumpAsync(db, ct);
                await transaction.CommitAsync(ct);
            }

            return result;
        }
        finally
        {
            Execute(connection, restore);
            // EF Core creates SQLite files in WAL already; leaving WAL needs the only connection to the file.
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                SqliteConnection.ClearPool(connection);
                Execute(connection, $"PRAGMA journal_mode={journalMode}");
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    public void Dispose()
    {
        _job.Dispose();
        _status.Dispose();
        _node.Dispose();
        _event.Dispose();
    }

    protected override Task WriteAsync(Job job, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Insert(_job, job.Id, WireName<JobType>.Of(job.Type), WireName<JobState>.Of(job.State), job.Command, job.Description,
            job.EnvironmentName, job.OwnerId, job.OwnerLogin, job.OwnerJson, job.OptionsJson, job.UserdataJson, job.TaskName,
            Utc(job.Timestamp), Utc(job.FinishedAt));
        foreach (var status in job.Statuses)
        {
            status.Id = _nextStatusId++;
            Insert(_status, status.Id, job.Id, WireName<JobState>.Of(status.State), Utc(status.EnterTime), Utc(status.ExitTime));
        }

        foreach (var node in job.Nodes)
        {
            node.Id = _nextNodeId++;
            Insert(_node, node.Id, job.Id, node.Name, WireName<NodeState>.Of(node.State), Utc(node.Timestamp),
                Utc(node.StartTimestamp), Utc(node.FinishTimestamp), node.TransactionUuid, node.Transport, node.DetailsJson,
                node.ResultJson);
            foreach (var nodeEvent in node.Events)
                nodeEvent.NodeId = node.Id;
        }

        foreach (var e in job.Events)
            Insert(_event, e.Id, job.Id, e.NodeId, WireName<EventType>.Of(e.Type), Utc(e.Timestamp), e.Message, e.DetailsJson);
        return Task.CompletedTask;
    }

    // A command created on the connection joins its open transaction.
    private static SqliteCommand Prepare(SqliteConnection connection, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText =
            $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++)
            command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        command.Prepare();
        return command;
    }

    private static void Insert(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    // What UtcDateTimeConverter stores.
    private static DateTime? Utc(DateTime? value) =>
        value is { } v ? v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static List<(string Name, string Sql)> SecondaryIndexes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
              AND tbl_name IN ('Jobs', 'JobStatuses', 'JobNodes', 'NodeEvents')
            ORDER BY name
            """;
        using var reader = command.ExecuteReader();
        var indexes = new List<(string, string)>();
        while (reader.Read())
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        return indexes;
    }

    // AUTOINCREMENT never reuses an id, even of a deleted row: start after the highest ever handed out.
    private static long NextId(SqliteConnection connection, string table) => long.Parse(
        Scalar(connection, $"SELECT MAX(IFNULL(MAX(Id), 0), IFNULL((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) + 1 FROM \"{table}\"")!,
        CultureInfo.InvariantCulture);

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
