using Microsoft.Data.Sqlite;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The statements each handler sends (docs/architecture.md lists them), run through plain ADO.NET: every column
/// of every row is read into the type the handler needs, nothing is mapped or assembled. Each method owns (and
/// closes) the connection it is given.
/// </summary>
internal static class Sql
{
    private const string JobColumns = """
        "j"."Id", "j"."Type", "j"."State", "j"."Command", "j"."OptionsJson", "j"."OwnerJson", "j"."Description",
        "j"."Timestamp", "j"."EnvironmentName", "j"."UserdataJson"
        """;

    public static int JobsPage(SqliteConnection connection, string where, (string Name, object Value)[] args, string orderBy, int limit, int offset)
    {
        using (connection)
        {
            // The handler counts once per data version (VersionedRowCounts); after that a page asks only this.
            var total = Read(connection, "l", """SELECT "Version" FROM "DataVersion" WHERE "Id" = 1""", []);
            var ids = new List<long>();
            Read(connection, "lsssssStSS", $"""
                SELECT {JobColumns} FROM "Jobs" AS "j"
                WHERE "j"."Id" IN (SELECT "j0"."Id" FROM "Jobs" AS "j0" {where.Replace("\"j\".", "\"j0\".", StringComparison.Ordinal)}
                                   {orderBy.Replace("\"j\".", "\"j0\".", StringComparison.Ordinal)} LIMIT @limit OFFSET @offset)
                {orderBy}
                """, [.. args, ("@limit", limit), ("@offset", offset)], r => ids.Add(r.GetInt64(0)));
            return total + JobDetails(connection, ids);
        }
    }

    public static int Job(SqliteConnection connection, long id)
    {
        using (connection)
        {
            // GetJob's compiled statements: the row (the page's columns), then node counts and history of that one id.
            return Read(connection, "lsssssStSS", $"""SELECT {JobColumns} FROM "Jobs" AS "j" WHERE "j"."Id" = @id""", [("@id", id)])
                + Read(connection, "sl", """SELECT "j"."State", COUNT(*) FROM "JobNodes" AS "j" WHERE "j"."JobId" = @id GROUP BY "j"."State" """, [("@id", id)])
                + Read(connection, "lstT", """
                    SELECT "j"."JobId", "j"."State", "j"."EnterTime", "j"."ExitTime" FROM "JobStatuses" AS "j"
                    WHERE "j"."JobId" = @id ORDER BY "j"."EnterTime", "j"."Id"
                    """, [("@id", id)]);
        }
    }

    public static int Nodes(SqliteConnection connection, long jobId, int? limit)
    {
        using (connection)
        {
            Read(connection, "L", """
                SELECT (SELECT MAX("n"."Id") FROM "NodeEvents" AS "n" WHERE "j"."Id" = "n"."JobId") FROM "Jobs" AS "j" WHERE "j"."Id" = @id LIMIT 2
                """, [("@id", jobId)]);
            return Read(connection, "TTTsSsSSSL", $"""
                SELECT "j"."Timestamp", "j"."StartTimestamp", "j"."FinishTimestamp", "j"."State", "j"."TransactionUuid", "j"."Name",
                       "j"."DetailsJson", "j"."ResultJson", "j"."Transport",
                       (SELECT MAX("n"."Id") FROM "NodeEvents" AS "n" WHERE "j"."Id" = "n"."NodeId")
                FROM "JobNodes" AS "j" WHERE "j"."JobId" = @id ORDER BY "j"."Name", "j"."Id" {(limit is null ? "" : "LIMIT @limit")}
                """, [("@id", jobId), ("@limit", limit ?? 0)]);
        }
    }

    public static int Events(SqliteConnection connection, long jobId, long start, int limit)
    {
        using (connection)
        {
            Read(connection, "l", """SELECT EXISTS (SELECT 1 FROM "Jobs" AS "j" WHERE "j"."Id" = @id)""", [("@id", jobId)]);
            return Read(connection, "lslSLts", """
                SELECT "n"."Id", "n"."DetailsJson", "n"."JobId", "n"."Message", "n"."NodeId", "n"."Timestamp", "n"."Type"
                FROM "NodeEvents" AS "n" WHERE "n"."JobId" = @id AND "n"."Id" >= @start ORDER BY "n"."Id" LIMIT @limit
                """, [("@id", jobId), ("@start", start), ("@limit", limit)]);
        }
    }

    public static int Report(SqliteConnection connection, long jobId)
    {
        using (connection)
        {
            Read(connection, "l", """SELECT EXISTS (SELECT 1 FROM "Jobs" AS "j" WHERE "j"."Id" = @id)""", [("@id", jobId)]);
            // GetJobReportQueryHandler.Rows: nodes with their events, one row per event, in report order.
            return Read(connection, "lssTLSLSLTS", """
                SELECT "j"."Id", "j"."Name", "j"."State", "j"."Timestamp", "n0"."Id", "n0"."DetailsJson", "n0"."JobId",
                       "n0"."Message", "n0"."NodeId", "n0"."Timestamp", "n0"."Type"
                FROM "JobNodes" AS "j"
                LEFT JOIN (SELECT "n"."Id", "n"."DetailsJson", "n"."JobId", "n"."Message", "n"."NodeId", "n"."Timestamp", "n"."Type"
                           FROM "NodeEvents" AS "n" WHERE "n"."JobId" = @id) AS "n0" ON "j"."Id" = "n0"."NodeId"
                WHERE "j"."JobId" = @id
                ORDER BY "j"."Name", "j"."Id", "n0"."Id"
                """, [("@id", jobId)]);
        }
    }

    // Node counts per state, then the state histories, of a page of jobs; the ids go as one JSON array, as EF sends them.
    private static int JobDetails(SqliteConnection connection, List<long> ids)
    {
        if (ids.Count == 0)
            return 0;
        (string, object)[] args = [("@jobIds", "[" + string.Join(",", ids) + "]")];
        return Read(connection, "lsl", """
                SELECT "j"."JobId", "j"."State", COUNT(*) FROM "JobNodes" AS "j"
                WHERE "j"."JobId" IN (SELECT "j0"."value" FROM json_each(@jobIds) AS "j0") GROUP BY "j"."JobId", "j"."State"
                """, args)
            + Read(connection, "lstT", """
                SELECT "j"."JobId", "j"."State", "j"."EnterTime", "j"."ExitTime" FROM "JobStatuses" AS "j"
                WHERE "j"."JobId" IN (SELECT "j0"."value" FROM json_each(@jobIds) AS "j0") ORDER BY "j"."JobId", "j"."EnterTime", "j"."Id"
                """, args);
    }

    /// <summary>
    /// Runs one statement and reads every column of every row. <paramref name="columns"/> names each column's type as
    /// the handler needs it, one letter a column: <c>l</c> long, <c>s</c> string, <c>t</c> a time (SQLite stores ISO
    /// text; <c>GetDateTime</c> parses it, as the handler must), upper case when the column can be NULL. With
    /// <see cref="Untyped"/> every column is read with <c>GetValue</c> instead (times stay text): a lower floor no
    /// handler could reach, kept to show what the typed reads cost.
    /// </summary>
    private static int Read(SqliteConnection connection, string columns, string sql, (string Name, object Value)[] args, Action<SqliteDataReader>? row = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
            command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        if (reader.FieldCount != columns.Length)
            throw new InvalidOperationException($"{columns} names {columns.Length} columns; the statement has {reader.FieldCount}.");
        var rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < columns.Length; i++)
            {
                if (Untyped)
                {
                    _ = reader.GetValue(i);
                    continue;
                }

                var kind = columns[i];
                if (char.IsUpper(kind) && reader.IsDBNull(i))
                    continue;
                _ = char.ToLowerInvariant(kind) switch
                {
                    'l' => reader.GetInt64(i),
                    's' => reader.GetString(i),
                    't' => (object)reader.GetDateTime(i),
                    _ => throw new InvalidOperationException($"unknown column kind {kind}"),
                };
            }

            row?.Invoke(reader);
            rows++;
        }

        return rows;
    }

    /// <summary>Read every column with <c>GetValue</c> (the untyped floor).</summary>
    public static bool Untyped { get; set; }
}
