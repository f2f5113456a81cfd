using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Import;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>
/// Brings the configured database in step with an upstream orchestrator through its published jobs API.
/// A run re-reads the jobs the mirror holds unfinished, then lists <c>/jobs</c> newest first, page by page,
/// reading the jobs it does not hold or whose state or timestamp changed, and stops at the first page it wholly
/// holds unchanged (unless the mirror holds fewer older jobs than the upstream lists, as after an interrupted run).
/// Reads run <see cref="SyncOptions.Concurrency"/> at a time; one writer stores each job whole, in one transaction,
/// through the importer, and writes nothing for a job that did not change. The ETags of what a later run asks for
/// again (the first listing pages, the documents of unfinished jobs) are stored in <see cref="SyncETag"/> rows, so
/// that a run in a new process sends <c>If-None-Match</c> too.
/// </summary>
public sealed class JobSynchronizer(IServiceScopeFactory scopes, UpstreamClient upstream, SyncOptions options, Action<string> report)
{
    private const int IdsPerQuery = 500;
    private const int PrunePageSize = 1000;
    private const int KeptListingPages = 5;
    private const int JobsPerETagWrite = 100;

    public SyncProgress Progress { get; private set; } = new();

    public async Task<SyncSummary> RunOnceAsync(CancellationToken stopping)
    {
        var progress = Progress = new SyncProgress();
        var (notModified, requests) = (upstream.NotModified, upstream.Requests);
        var clock = Stopwatch.StartNew();
        using var abort = new CancellationTokenSource();
        var run = new Run(progress, abort, stopping) { Report = report };
        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Concurrency * 4) { SingleWriter = true });
        var fetched = Channel.CreateBounded<UpstreamJob>(new BoundedChannelOptions(options.Concurrency * 2) { SingleReader = true });

        // A failed listing lets the jobs in hand finish; a failed reader or writer stops the others, which would wait on it.
        var producer = GuardAsync(run, () => ProduceAsync(work.Writer, run), () => work.Writer.TryComplete(), abortOnFailure: false);
        var fetchers = Enumerable.Range(0, options.Concurrency)
            .Select(_ => GuardAsync(run, () => FetchAsync(work.Reader, fetched.Writer, run), null, abortOnFailure: true)).ToArray();
        var readers = Task.WhenAll(fetchers).ContinueWith(_ => fetched.Writer.TryComplete(), TaskScheduler.Default);
        var writer = GuardAsync(run, () => WriteAsync(fetched.Reader, run), null, abortOnFailure: true);
        await Task.WhenAll(producer, readers, writer);
        while (fetched.Reader.TryRead(out var left))
            left.Dispose();

        var pruned = 0;
        if (options.Prune && run.Stop == SyncStop.None && !stopping.IsCancellationRequested)
            await GuardAsync(run, async () => pruned = await PruneAsync(run), null, abortOnFailure: true);

        return new SyncSummary(progress.New, progress.Updated, progress.Unchanged, progress.Skipped, progress.Failed, pruned,
            clock.Elapsed, run.Stop, run.StopReason, stopping.IsCancellationRequested)
        {
            Revalidated = upstream.NotModified - notModified,
            Requests = upstream.Requests - requests,
        };
    }

    private static async Task GuardAsync(Run run, Func<Task> body, Action? completed, bool abortOnFailure)
    {
        try
        {
            await body();
        }
        catch (UpstreamRefusedException e)
        {
            await run.EndAsync(SyncStop.Refused, e.Message);
        }
        catch (UpstreamUnreachableException e)
        {
            await run.EndAsync(SyncStop.Unreachable, e.Message);
        }
        catch (OperationCanceledException) when (run.Abort.IsCancellationRequested || run.Stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await run.EndAsync(SyncStop.Failed, e.Message, abortOnFailure);
        }
        finally
        {
            completed?.Invoke();
        }
    }

    /// <summary>Queues the held unfinished jobs, then the listing's new and changed ones.</summary>
    private async Task ProduceAsync(ChannelWriter<WorkItem> work, Run run)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Stopping, run.Abort.Token);
        var ct = linked.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();

        var held = new HashSet<long>();
        run.Progress.AddTotal(await Unfinished(db.Jobs).CountAsync(ct));
        for (var after = 0L; ;)
        {
            var batch = await LocalJobs(db, Unfinished(db.Jobs.AsNoTracking()).Where(j => j.Id > after).OrderBy(j => j.Id).Take(IdsPerQuery))
                .ToListAsync(ct);
            if (batch.Count == 0)
                break;
            var stored = await StoredETagsAsync(db, batch.Select(l => l.Id), ct);
            foreach (var local in batch)
            {
                held.Add(local.Id);
                run.Progress.Plan();
                await work.WriteAsync(new WorkItem(local.Id, local, stored.GetValueOrDefault(local.Id)), ct);
            }
            after = batch[^1].Id;
        }

        // Listing pages are the rows without a job; a later run lists only the first pages again, so only those are stored.
        var storedPages = (await db.SyncETags.AsNoTracking().Where(e => e.JobId == null).ToListAsync(ct))
            .ToDictionary(e => e.Url, StringComparer.Ordinal);
        for (var offset = 0L; ;)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"jobs?order_by=timestamp&order=desc&limit={options.JobPageSize}&offset={offset}");
            var stored = storedPages.GetValueOrDefault(upstream.UrlOf(path));
            var page = await upstream.GetAsync(path, keep: false, stored?.ETag, run.Abort.Token);
            if (page.Gone)
                throw new UpstreamRequestException($"{upstream.Describe(path)}: 404");
            // A 304 to a stored ETag: the page is the one stored, and the mirror's rows still decide what to read.
            var (items, total, whole) = page.Body is null ? StoredListing.Read(stored!.VouchesFor) : ReadListing(page, run);
            if (page.Body is not null && page.ETag is not null && whole && offset < KeptListingPages * options.JobPageSize)
                await StoreListingAsync(db, path, page.ETag, new StoredListing(total, items), ct);
            if (offset == 0)
                run.Progress.AddTotal(total);
            if (items.Count == 0)
                break;

            var ids = items.Select(i => i.Id).ToArray();
            var locals = await LocalJobs(db, db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))).ToDictionaryAsync(l => l.Id, ct);
            var wholeKnown = true;
            foreach (var item in items)
            {
                if (held.Contains(item.Id))
                {
                    run.Progress.AddTotal(-1);
                    continue;
                }
                run.Progress.Plan();
                if (locals.TryGetValue(item.Id, out var local) && local.State == item.State && local.Timestamp == item.Timestamp)
                {
                    run.Progress.Count(SyncOutcome.Unchanged);
                    continue;
                }
                wholeKnown = false;
                await work.WriteAsync(new WorkItem(item.Id, local), ct);
            }

            offset += items.Count;
            if (wholeKnown && await HoldsEveryOlderJobAsync(db, items[^1], total - offset, ct))
            {
                run.Progress.Settle();
                break;
            }
            if (offset >= total)
                break;
        }
    }

    /// <summary>
    /// A page wholly held unchanged ends the listing only when the mirror holds at least as many jobs older than
    /// it as the upstream lists after it: an interrupted run leaves older jobs missing, and the next run goes on.
    /// </summary>
    private static async Task<bool> HoldsEveryOlderJobAsync(OrchestratorDbContext db, ListedJob last, long upstreamOlder, CancellationToken ct)
    {
        if (upstreamOlder <= 0)
            return true;
        var timestamp = last.Timestamp!.Value;
        var localOlder = await db.Jobs.LongCountAsync(j => j.Timestamp < timestamp || (j.Timestamp == timestamp && j.Id < last.Id), ct);
        return localOlder >= upstreamOlder;
    }

    /// <summary>The page's jobs and the upstream's total; <c>Whole</c> is false when an item had to be skipped.</summary>
    private (List<ListedJob> Items, long Total, bool Whole) ReadListing(UpstreamDocument page, Run run)
    {
        var where = upstream.Describe(page.Path);
        using var document = Parse(page.Body!, where);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            throw new MalformedDocumentException($"{where} $.items: expected an array");
        if (!root.TryGetProperty("pagination", out var pagination) || pagination.ValueKind != JsonValueKind.Object
            || !pagination.TryGetProperty("total", out var totalElement) || !totalElement.TryGetInt64(out var total))
            throw new MalformedDocumentException($"{where} $.pagination.total: expected an integer");

        var listed = new List<ListedJob>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object ? JobIdOf(item) : null;
            if (id is null)
            {
                run.Fail($"{where} $.items[{index}].name: no job id; the job is skipped");
                index++;
                continue;
            }
            var state = item.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String && WireName<JobState>.TryParse(s.GetString(), out var parsed)
                ? parsed : (JobState?)null;
            var timestamp = item.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String && IsoTimestamp.TryParse(t.GetString()!, out var utc)
                ? utc : (DateTime?)null;
            listed.Add(new ListedJob(id.Value, state, timestamp));
            index++;
        }
        return (listed, total, listed.Count == index);
    }

    /// <summary>Reads what it takes: nothing more is taken once stopping, but a job in hand is finished.</summary>
    private async Task FetchAsync(ChannelReader<WorkItem> work, ChannelWriter<UpstreamJob> fetched, Run run)
    {
        var ct = run.Abort.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        while (await work.WaitToReadAsync(ct))
        {
            while (work.TryRead(out var item))
            {
                if (run.Stopping.IsCancellationRequested)
                    continue;
                UpstreamJob? job;
                try
                {
                    var (outcome, fresh) = item.Stored is { } stored ? await RevalidateAsync(item, stored, db, run, ct) : (Revalidation.Read, null);
                    if (outcome == Revalidation.Unchanged)
                    {
                        run.Progress.Count(SyncOutcome.Unchanged);
                        continue;
                    }
                    job = outcome == Revalidation.Gone ? null : await ReadJobAsync(item, fresh, ct);
                }
                catch (Exception e) when (e is UpstreamRequestException or MalformedDocumentException)
                {
                    run.Fail($"job {item.Id}: {e.Message}");
                    continue;
                }
                if (job is null)
                {
                    report($"job {item.Id}: gone from the upstream (404) between listing and reading; skipped");
                    run.Progress.Count(SyncOutcome.Skipped);
                    continue;
                }
                try
                {
                    await fetched.WriteAsync(job, ct);
                }
                catch (OperationCanceledException)
                {
                    job.Dispose();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// For a job whose documents' ETags an earlier run stored: when no event is new, the job and its nodes answer
    /// 304 and the mirror's copy is still the job those documents made (its fingerprint), the job is unchanged and
    /// nothing is downloaded but an empty events page. A job whose documents changed is read as usual, with the
    /// answers that came with a body handed on to that read; so is a copy changed since (an import, a restore).
    /// </summary>
    private async Task<(Revalidation Outcome, Dictionary<string, UpstreamDocument>? Fresh)> RevalidateAsync(
        WorkItem item, StoredETags stored, OrchestratorDbContext db, Run run, CancellationToken ct)
    {
        var jobPath = JobPath(item.Id);
        var eventsPath = EventsPath(item.Id, item.Local?.NewestEventId + 1);
        if (!stored.Documents.Any(d => d.Path == jobPath))
            return (Revalidation.Read, null);

        // Events first: they are what a running job changes most. Their page's ETag is stored once a run has asked for it.
        var fresh = new Dictionary<string, UpstreamDocument>(StringComparer.Ordinal);
        var events = await upstream.GetAsync(eventsPath, keep: true, stored.Documents.FirstOrDefault(d => d.Path == eventsPath).ETag, ct);
        if (events.Gone)
            return (Revalidation.Gone, null);
        if (events.Body is not null)
            fresh[eventsPath] = events;
        if (!events.NotModified && !IsEmptyPage(events.Body!))
            return (Revalidation.Read, fresh);

        var documents = stored.Documents.Where(d => !d.Path.StartsWith(jobPath + "/events", StringComparison.Ordinal))
            .OrderBy(d => d.Path == jobPath ? 0 : 1).ThenBy(d => d.Path, StringComparer.Ordinal).ToList();
        foreach (var (path, etag) in documents)
        {
            var answer = await upstream.GetAsync(path, keep: true, etag, ct);
            if (answer.Gone)
                return (Revalidation.Gone, null);
            if (answer.Body is not null)
                fresh[path] = answer;
            if (!answer.NotModified)
                return (Revalidation.Read, fresh);
        }

        // Every answer says the upstream is as it was; the mirror's copy must still be the job it was then.
        var held = await db.Jobs.AsNoTracking().AsSplitQuery().Include(j => j.Statuses).Include(j => j.Nodes)
            .SingleOrDefaultAsync(j => j.Id == item.Id, ct);
        if (held is null || JobComparer.Fingerprint(held, await db.NodeEvents.CountAsync(e => e.JobId == item.Id, ct)) != stored.Fingerprint)
            return (Revalidation.Read, fresh);

        if (!events.NotModified && events.ETag is not null)
        {
            var seen = DateTime.UtcNow;
            run.Learned.Enqueue((item.Id, [.. documents.Append((Path: eventsPath, events.ETag)).Select(d => Row(d.Path, d.ETag, item.Id, stored.Fingerprint, seen))]));
            // The writer stores them with its own; when no job reaches it, a reader does, so that they stay few.
            if (run.Learned.Count >= JobsPerETagWrite && await run.LearnedWriter.WaitAsync(0, ct))
            {
                try
                {
                    await StoreETagsAsync(db, [], run, ct);
                }
                finally
                {
                    run.LearnedWriter.Release();
                }
            }
        }
        return (Revalidation.Unchanged, null);

        static bool IsEmptyPage(byte[] body)
        {
            try
            {
                using var page = JsonDocument.Parse(body);
                return page.RootElement.ValueKind == JsonValueKind.Object && page.RootElement.TryGetProperty("items", out var items)
                    && items.ValueKind == JsonValueKind.Array && items.GetArrayLength() == 0;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The job, its nodes page by page, and its events from where the mirror's copy stops; null when gone (404).
    /// <paramref name="fresh"/> holds answers already received in this run.
    /// </summary>
    private async Task<UpstreamJob?> ReadJobAsync(WorkItem item, Dictionary<string, UpstreamDocument>? fresh, CancellationToken ct)
    {
        var jobPath = JobPath(item.Id);
        var jobAnswer = await GetAsync(jobPath, keep: true, fresh, ct);
        if (jobAnswer.Gone)
            return null;

        var job = new UpstreamJob(item, new UpstreamPage(jobPath, Parse(jobAnswer.Body!, upstream.Describe(jobPath)), 0, 1, jobAnswer.ETag));
        try
        {
            var root = job.Job.Document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new MalformedDocumentException($"{upstream.Describe(jobPath)} $: expected an object");
            int? nodeCount = root.TryGetProperty("node_count", out var count) && count.TryGetInt32(out var n) ? n : null;
            var unfinished = root.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
                && WireName<JobState>.TryParse(state.GetString(), out var s) && !IsDone(s);
            if (!unfinished)
                upstream.Forget(jobPath);

            long? caughtUp = null;
            for (var offset = 0; ;)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"{jobPath}/nodes?limit={options.NodePageSize}&offset={offset}");
                var page = await ReadPageAsync(path, unfinished, offset, fresh, ct);
                if (page is null)
                    return Gone(job);
                job.NodePages.Add(page);
                if (offset == 0)
                    caughtUp = NextEvent(page.Document.RootElement);
                offset += page.Count;
                if (page.Count == 0 || (nodeCount is { } total ? offset >= total : page.Count < options.NodePageSize))
                    break;
            }

            var start = item.Local?.NewestEventId + 1;
            for (var index = 0; ;)
            {
                var path = EventsPath(item.Id, start);
                var page = await ReadPageAsync(path, unfinished, index, fresh, ct);
                if (page is null)
                    return Gone(job);
                job.EventPages.Add(page);
                if (page.Count == 0)
                    break;
                upstream.Forget(path); // only an empty page is asked for again
                index += page.Count;
                var next = NextEvent(page.Document.RootElement)
                    ?? throw new MalformedDocumentException($"{upstream.Describe(path)} $.next-events.event: expected a string of digits");
                if (next <= (start ?? 0))
                    throw new MalformedDocumentException($"{upstream.Describe(path)} $.next-events.event: does not move past {start ?? 0}");
                start = next;
                if (caughtUp is { } end && next >= end)
                    break;
            }
            return job;
        }
        catch
        {
            job.Dispose();
            throw;
        }

        static UpstreamJob? Gone(UpstreamJob job)
        {
            job.Dispose();
            return null;
        }
    }

    private string EventsPath(long id, long? start)
    {
        var query = new List<string>();
        if (start is { } from)
            query.Add(string.Create(CultureInfo.InvariantCulture, $"start={from}"));
        if (options.EventPageSize is { } limit)
            query.Add(string.Create(CultureInfo.InvariantCulture, $"limit={limit}"));
        return $"{JobPath(id)}/events" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    private static string JobPath(long id) => string.Create(CultureInfo.InvariantCulture, $"jobs/{id}");

    private async Task<UpstreamDocument> GetAsync(string path, bool keep, Dictionary<string, UpstreamDocument>? fresh, CancellationToken ct) =>
        fresh is not null && fresh.Remove(path, out var answer) ? answer : await upstream.GetAsync(path, keep, ct);

    private async Task<UpstreamPage?> ReadPageAsync(string path, bool keep, int firstIndex, Dictionary<string, UpstreamDocument>? fresh, CancellationToken ct)
    {
        var answer = await GetAsync(path, keep, fresh, ct);
        if (answer.Gone)
            return null;
        var where = upstream.Describe(path);
        var document = Parse(answer.Body!, where);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new MalformedDocumentException($"{where} $.items: expected an array");
        }
        return new UpstreamPage(path, document, firstIndex, items.GetArrayLength(), answer.ETag);
    }

    /// <summary>Stores each read job whole, one transaction per job, unless it is the job the mirror already holds.</summary>
    private async Task WriteAsync(ChannelReader<UpstreamJob> fetched, Run run)
    {
        var ct = run.Abort.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        var importer = new JobImporter(db);
        if (db.Database.IsSqlite())
        {
            // One commit per job: without an fsync each, twice the jobs a second (docs/performance.md). WAL keeps the
            // file whole; a commit lost to a power cut leaves a job missing or unfinished, which the next run reads again.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL", ct);
        }
        var learned = new Dictionary<long, List<SyncETag>>();
        await foreach (var job in fetched.ReadAllAsync(ct))
        {
            using (job)
            {
                ct.ThrowIfCancellationRequested();
                if (learned.Count >= JobsPerETagWrite)
                    await StoreETagsAsync(db, learned, run, ct);
                var held = job.Item.Local is null ? null : await LoadHeldAsync(db, job.Id, ct);

                var reader = new ImportReader(new ImportLimits());
                using (var document = JsonDocument.Parse(job.Compose(held?.Events ?? [])))
                    reader.Read(document.RootElement);
                if (reader.Problems.Count > 0)
                {
                    run.Fail(reader.Problems.Select(p => job.Locate(p, upstream.Describe)));
                    continue;
                }
                if (reader.Jobs[0].Id != job.Id)
                {
                    run.Fail($"job {job.Id}: {upstream.Describe(job.Job.Path)} $.name: names job {reader.Jobs[0].Id}; not stored");
                    continue;
                }
                learned[job.Id] = Vouched(job, reader.Jobs[0]);
                if (held is not null && JobComparer.Same(held, reader.Jobs[0]))
                {
                    run.Progress.Count(SyncOutcome.Unchanged);
                    continue;
                }

                ImportResult result;
                try
                {
                    result = await importer.ImportAsync(reader, ct);
                }
                catch (DbUpdateException e)
                {
                    learned.Remove(job.Id);
                    run.Fail($"job {job.Id}: the mirror's database refused it: {e.InnerException?.Message ?? e.Message}");
                    continue;
                }
                if (!result.Succeeded)
                {
                    learned.Remove(job.Id);
                    run.Fail(result.Problems.Select(p => job.Locate(p, upstream.Describe)));
                    continue;
                }
                run.Progress.Count(held is null ? SyncOutcome.New : SyncOutcome.Updated);
            }
        }
        await StoreETagsAsync(db, learned, run, ct);
    }

    /// <summary>
    /// The rows that let a later run revalidate the job: the job's document and its node pages, when each had an
    /// ETag, and its last events page when it was empty (the page a later run asks for again). A done job is not read
    /// again, so it keeps none.
    /// </summary>
    private List<SyncETag> Vouched(UpstreamJob job, Job fresh)
    {
        if (IsDone(fresh.State) || job.Job.ETag is null || job.NodePages.Any(p => p.ETag is null))
            return [];
        var fingerprint = JobComparer.Fingerprint(fresh, fresh.Events.Count);
        var seen = DateTime.UtcNow;
        var pages = job.NodePages.Prepend(job.Job);
        if (job.EventPages.LastOrDefault() is { Count: 0, ETag: not null } empty)
            pages = pages.Append(empty);
        return [.. pages.Select(page => Row(page.Path, page.ETag!, job.Id, fingerprint, seen))];
    }

    private SyncETag Row(string path, string etag, long? jobId, string vouchesFor, DateTime seen)
    {
        var url = upstream.UrlOf(path);
        return new SyncETag { UrlHash = UrlHash(url), Url = url, ETag = etag, JobId = jobId, VouchesFor = vouchesFor, SeenAt = seen };
    }

    private static byte[] UrlHash(string url) => SHA256.HashData(Encoding.UTF8.GetBytes(url));

    /// <summary>
    /// Replaces the stored ETags of the jobs in <paramref name="learned"/> (and of those the readers revalidated), in
    /// one transaction; the data version does not move.
    /// </summary>
    private static async Task StoreETagsAsync(OrchestratorDbContext db, Dictionary<long, List<SyncETag>> learned, Run run, CancellationToken ct)
    {
        while (run.Learned.TryDequeue(out var revalidated))
            learned.TryAdd(revalidated.JobId, revalidated.Rows);
        if (learned.Count == 0)
            return;
        var ids = learned.Keys.Select(id => (long?)id).ToArray();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.SyncETags.Where(e => ids.Contains(e.JobId)).ExecuteDeleteAsync(token);
            db.SyncETags.AddRange(learned.Values.SelectMany(rows => rows));
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            db.ChangeTracker.Clear();
        }, ct);
        learned.Clear();
    }

    private async Task StoreListingAsync(OrchestratorDbContext db, string path, string etag, StoredListing listing, CancellationToken ct)
    {
        var row = Row(path, etag, null, listing.Write(), DateTime.UtcNow);
        await db.SyncETags.Where(e => e.UrlHash == row.UrlHash).ExecuteDeleteAsync(ct);
        db.SyncETags.Add(row);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The stored ETags of the given jobs' documents asked of this upstream, whole sets only.</summary>
    private async Task<Dictionary<long, StoredETags>> StoredETagsAsync(OrchestratorDbContext db, IEnumerable<long> jobIds, CancellationToken ct)
    {
        var ids = jobIds.Select(id => (long?)id).ToArray();
        var rows = await db.SyncETags.AsNoTracking().Where(e => ids.Contains(e.JobId))
            .Select(e => new { e.JobId, e.Url, e.ETag, e.VouchesFor }).ToListAsync(ct);
        return rows.Select(r => (JobId: r.JobId!.Value, Path: upstream.PathOf(r.Url), r.ETag, r.VouchesFor))
            .Where(r => r.Path is not null)
            .GroupBy(r => r.JobId)
            .Where(g => g.Select(r => r.VouchesFor).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => new StoredETags(g.First().VouchesFor, [.. g.Select(r => (r.Path!, r.ETag))]));
    }

    private static Task<Job?> LoadHeldAsync(OrchestratorDbContext db, long id, CancellationToken ct) =>
        db.Jobs.AsNoTracking().AsSplitQuery()
            .Include(j => j.Statuses).Include(j => j.Nodes).Include(j => j.Events)
            .SingleOrDefaultAsync(j => j.Id == id, ct);

    /// <summary>
    /// Walks the upstream's ids in order beside the mirror's and deletes the mirror's jobs the upstream lacks, each
    /// first confirmed gone by a 404 of its own (a listing that shifted while read could skip one).
    /// </summary>
    private async Task<int> PruneAsync(Run run)
    {
        var ct = run.Abort.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        var pruned = 0;
        var below = 0L;
        for (var offset = 0L; !run.Stopping.IsCancellationRequested;)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"jobs?order_by=name&order=asc&limit={PrunePageSize}&offset={offset}");
            var page = await upstream.GetAsync(path, keep: false, ct);
            if (page.Gone)
                throw new UpstreamRequestException($"{upstream.Describe(path)}: 404");
            var (items, _, _) = ReadListing(page, run);
            var upstreamIds = items.Select(i => i.Id).ToHashSet();
            var upTo = items.Count == 0 ? long.MaxValue : items.Max(i => i.Id);
            for (var after = below; ;)
            {
                var localIds = await db.Jobs.AsNoTracking().Where(j => j.Id > after && j.Id <= upTo)
                    .OrderBy(j => j.Id).Select(j => j.Id).Take(IdsPerQuery).ToListAsync(ct);
                if (localIds.Count == 0)
                    break;
                var gone = new List<long>();
                foreach (var id in localIds.Where(id => !upstreamIds.Contains(id)))
                {
                    if ((await upstream.GetAsync(string.Create(CultureInfo.InvariantCulture, $"jobs/{id}"), keep: false, ct)).Gone)
                        gone.Add(id);
                }
                if (gone.Count > 0)
                {
                    await JobWriter.RunAsync(db, async (writer, token) =>
                    {
                        await writer.DeleteAsync(gone, token);
                        var keys = gone.Select(id => (long?)id).ToArray();
                        await db.SyncETags.Where(e => keys.Contains(e.JobId)).ExecuteDeleteAsync(token);
                        return true;
                    }, _ => true, ct);
                    pruned += gone.Count;
                }
                after = localIds[^1];
            }
            if (items.Count == 0)
                break;
            below = upTo;
            offset += items.Count;
        }
        return pruned;
    }

    private static IQueryable<Job> Unfinished(IQueryable<Job> jobs) =>
        jobs.Where(j => j.State == JobState.New || j.State == JobState.Ready || j.State == JobState.Running || j.State == JobState.Stopping);

    private static bool IsDone(JobState state) => state is JobState.Stopped or JobState.Finished or JobState.Failed;

    private static IQueryable<LocalJob> LocalJobs(OrchestratorDbContext db, IQueryable<Job> jobs) =>
        jobs.Select(j => new LocalJob(j.Id, j.State, j.Timestamp, db.NodeEvents.Where(e => e.JobId == j.Id).Max(e => (long?)e.Id)));

    private static JsonDocument Parse(byte[] body, string where)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new MalformedDocumentException($"{where} {e.Path ?? "$"}: not valid JSON ({e.Message})");
        }
    }

    private static long? JobIdOf(JsonElement job)
    {
        string? text = null;
        if (job.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            text = name.GetString();
        else if (job.TryGetProperty("id", out var url) && url.ValueKind == JsonValueKind.String)
            text = url.GetString()!.TrimEnd('/').Split('/')[^1];
        return Digits(text);
    }

    private static long? NextEvent(JsonElement document) =>
        document.TryGetProperty("next-events", out var next) && next.ValueKind == JsonValueKind.Object
        && next.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String
            ? Digits(e.GetString())
            : null;

    private static long? Digits(string? text) =>
        text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;

    private sealed record ListedJob(long Id, JobState? State, DateTime? Timestamp);

    /// <summary>A listing page as stored beside its ETag: what the sync reads of it, not the whole document.</summary>
    private sealed record StoredListing(long Total, List<ListedJob> Items)
    {
        public string Write() => JsonSerializer.Serialize(this);

        public static (List<ListedJob> Items, long Total, bool Whole) Read(string json)
        {
            var listing = JsonSerializer.Deserialize<StoredListing>(json)
                ?? throw new InvalidOperationException("A stored listing page is empty.");
            return (listing.Items, listing.Total, true);
        }
    }

    private enum Revalidation
    {
        Read,
        Unchanged,
        Gone,
    }

    /// <summary>One run's shared state: its counts, how it ended, and the token that ends it at once.</summary>
    private sealed class Run(SyncProgress progress, CancellationTokenSource abort, CancellationToken stopping)
    {
        private readonly Lock _lock = new();

        public SyncProgress Progress { get; } = progress;

        public CancellationTokenSource Abort { get; } = abort;

        public CancellationToken Stopping { get; } = stopping;

        public SyncStop Stop { get; private set; }

        public string? StopReason { get; private set; }

        public Action<string> Report { get; init; } = _ => { };

        /// <summary>ETags the readers learned for jobs they found unchanged, for the writer to store.</summary>
        public ConcurrentQueue<(long JobId, List<SyncETag> Rows)> Learned { get; } = new();

        /// <summary>Held by the one reader storing <see cref="Learned"/>.</summary>
        public SemaphoreSlim LearnedWriter { get; } = new(1, 1);

        public void Fail(string problem) => Fail([problem]);

        public void Fail(IEnumerable<string> problems)
        {
            foreach (var problem in problems)
                Report(problem);
            Progress.Count(SyncOutcome.Failed);
        }

        /// <summary>The first end wins; <paramref name="abort"/> stops everything in flight, writes included.</summary>
        public async Task EndAsync(SyncStop stop, string reason, bool abort = true)
        {
            lock (_lock)
            {
                if (Stop == SyncStop.None)
                {
                    Stop = stop;
                    StopReason = reason;
                }
            }
            if (abort)
                await Abort.CancelAsync();
        }
    }
}
