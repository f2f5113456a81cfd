using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The seed's fast path on SQLite: one transaction on the DbContext's own connection, four prepared INSERTs whose
/// parameters are rebound for each row, no change tracking. Node and status ids are handed out here (after the
/// highest ever used) so that events can name their node without reading ids back. For the duration of the
/// load the journal is WAL, <c>synchronous=OFF</c> and the page cache large; the previous settings come back after.
/// Writes exactly the rows <see cref="JobWriter"/> writes for the same jobs.
/// </summary>
internal sealed class SqliteBulkJobWriter : IJobWriter, IDisposable
{
    private readonly OrchestratorDbContext _db;
    private readonly SqliteCommand _job;
    private readonly SqliteCommand _status;
    private readonly SqliteCommand _node;
    private readonly SqliteCommand _event;
    private long _nextNodeId;
    private long _nextStatusId;

    private SqliteBulkJobWriter(OrchestratorDbContext db, SqliteConnection connection, SqliteTransaction transaction)
    {
        _db = db;
        _job = Prepare(connection, transaction, "Jobs",
            "Id", "Type", "State", "Command", "Description", "EnvironmentName", "OwnerId", "OwnerLogin", "OwnerJson",
            "OptionsJson", "UserdataJson", "TaskName", "Timestamp", "FinishedAt");
        _status = Prepare(connection, transaction, "JobStatuses", "Id", "JobId", "State", "EnterTime", "ExitTime");
        _node = Prepare(connection, transaction, "JobNodes",
            "Id", "JobId", "Name", "State", "Timestamp", "StartTimestamp", "FinishTimestamp", "TransactionUuid",
            "Transport", "DetailsJson", "ResultJson");
        _event = Prepare(connection, transaction, "NodeEvents", "Id", "JobId", "NodeId", "Type", "Timestamp", "Message", "DetailsJson");
    }

    public int Jobs { get; private set; }

    public int Nodes { get; private set; }

    public int Events { get; private set; }

    /// <summary>Runs <paramref name="write"/> in one transaction, committed only when it returns <paramref name="commit"/> true.</summary>
    public static async Task<T> RunAsync<T>(
        OrchestratorDbContext db, Func<IJobWriter, CancellationToken, Task<T>> write, Func<T, bool> commit, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var journalMode = Scalar(connection, "PRAGMA journal_mode");
        var synchronous = Scalar(connection, "PRAGMA synchronous");
        var cacheSize = Scalar(connection, "PRAGMA cache_size");
        var foreignKeys = Scalar(connection, "PRAGMA foreign_keys");
        try
        {
            // The generated rows are consistent by construction; checking each key costs a third of the load.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF");
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Building the secondary indexes once at the end is faster than maintaining them row by row. Unique
            // indexes stay: they check the rows. Dropping is part of the transaction, so a rollback restores them.
            var indexes = SecondaryIndexes(connection);
            foreach (var (name, _) in indexes)
                Execute(connection, $"DROP INDEX \"{name}\"");

            using var writer = new SqliteBulkJobWriter(db, connection, (SqliteTransaction)transaction.GetDbTransaction());
            writer._nextNodeId = NextId(connection, "JobNodes");
            writer._nextStatusId = NextId(connection, "JobStatuses");
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
            Execute(connection, $"PRAGMA synchronous={synchronous}; PRAGMA cache_size={cacheSize}; PRAGMA foreign_keys={foreignKeys}");
            // EF Core creates SQLite files in WAL already; leaving WAL needs the only connection to the file.
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                SqliteConnection.ClearPool(connection);
                Execute(connection, $"PRAGMA journal_mode={journalMode}");
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task DeleteAsync(IReadOnlyCollection<long>? jobIds, CancellationToken ct) => JobWriter.DeleteAsync(_db, jobIds, ct);

    public Task AddAsync(Job job, CancellationToken ct)
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

        Jobs++;
        Nodes += job.Nodes.Count;
        Events += job.Events.Count;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _job.Dispose();
        _status.Dispose();
        _node.Dispose();
        _event.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
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
    private static long NextId(SqliteConnection connection, string table)
    {
        var max = Scalar(connection, $"SELECT MAX(Id) FROM \"{table}\"");
        var sequence = Scalar(connection, $"SELECT seq FROM sqlite_sequence WHERE name = '{table}'");
        return Math.Max(max is null ? 0 : long.Parse(max, System.Globalization.CultureInfo.InvariantCulture),
            sequence is null ? 0 : long.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture)) + 1;
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
