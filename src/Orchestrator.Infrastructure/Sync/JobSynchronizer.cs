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

/// <summary>Mirrors an upstream orchestrator's jobs into the configured database (docs/sync.md); one run at a time.</summary>
public sealed class JobSynchronizer(IServiceScopeFactory scopes, UpstreamClient upstream, SyncOptions options, Action<string> report)
{
    private const int IdsPerQuery = 500;
    private const int PrunePageSize = 1000;
    private const int KeptListingPages = 5;
    private const int JobsPerETagWrite = 100;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private CancellationTokenSource _abort = new();
    private CancellationToken _stopping;
    private SyncStop _stop;
    private string? _stopReason;

    public SyncProgress Progress { get; private set; } = new();

    public async Task<SyncSummary> RunOnceAsync(CancellationToken stopping)
    {
        var progress = Progress = new SyncProgress();
        var (notModified, requests) = (upstream.NotModified, upstream.Requests);
        var clock = Stopwatch.StartNew();
        using var abort = new CancellationTokenSource();
        (_abort, _stopping, _stop, _stopReason) = (abort, stopping, SyncStop.None, null);
        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Concurrency * 4) { SingleWriter = true });

        // A failed listing lets the jobs in hand finish; a failed worker (the mirror's database) stops the run.
        var producer = GuardAsync(() => ProduceAsync(work.Writer), abortOnFailure: false);
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => GuardAsync(() => WorkAsync(work.Reader)));
        await Task.WhenAll([producer, .. workers]);

        var pruned = 0;
        if (options.Prune && _stop == SyncStop.None && !stopping.IsCancellationRequested)
            await GuardAsync(async () => pruned = await PruneAsync());

        return new SyncSummary(progress.New, progress.Updated, progress.Unchanged, progress.Skipped, progress.Failed, pruned,
            clock.Elapsed, _stop, _stopReason, stopping.IsCancellationRequested)
        {
            Revalidated = upstream.NotModified - notModified,
            Requests = upstream.Requests - requests,
        };
    }

    private async Task GuardAsync(Func<Task> body, bool abortOnFailure = true)
    {
        try
        {
            await body();
        }
        catch (SyncStoppedException e)
        {
            await EndAsync(e.Stop, e.Message);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await EndAsync(SyncStop.Failed, e.Message, abortOnFailure);
        }
    }

    /// <summary>The first end wins; <paramref name="abort"/> stops everything in flight, writes included.</summary>
    private async Task EndAsync(SyncStop stop, string reason, bool abort = true)
    {
        lock (_lock)
        {
            if (_stop == SyncStop.None)
                (_stop, _stopReason) = (stop, reason);
        }
        if (abort)
            await _abort.CancelAsync();
    }

    private void Fail(params IEnumerable<string> problems)
    {
        foreach (var problem in problems)
            report(problem);
        Progress.Count(SyncOutcome.Failed);
    }

    private async Task ProduceAsync(ChannelWriter<WorkItem> work)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping, _abort.Token);
            var ct = linked.Token;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
            var held = await QueueUnfinishedAsync(db, work, ct);
            await QueueListedAsync(db, work, held, ct);
        }
        finally
        {
            work.TryComplete();
        }
    }

    private async Task<HashSet<long>> QueueUnfinishedAsync(OrchestratorDbContext db, ChannelWriter<WorkItem> work, CancellationToken ct)
    {
        var held = new HashSet<long>();
        Progress.AddTotal(await Unfinished(db.Jobs).CountAsync(ct));
        for (var after = 0L; ;)
        {
            var batch = await LocalJobs(db, Unfinished(db.Jobs.AsNoTracking()).Where(j => j.Id > after).OrderBy(j => j.Id).Take(IdsPerQuery))
                .ToListAsync(ct);
            if (batch.Count == 0)
                return held;
            var stored = await StoredETagsAsync(db, batch.Select(l => l.Id), ct);
            foreach (var local in batch)
            {
                held.Add(local.Id);
                Progress.Plan();
                await work.WriteAsync(new WorkItem(local.Id, local, stored.GetValueOrDefault(local.Id)), ct);
            }
            after = batch[^1].Id;
        }
    }

    private async Task QueueListedAsync(OrchestratorDbContext db, ChannelWriter<WorkItem> work, HashSet<long> held, CancellationToken ct)
    {
        // Listing pages are the rows without a job; a later run lists only the first pages again, so only those are stored.
        var storedPages = (await db.SyncETags.AsNoTracking().Where(e => e.JobId == null).ToListAsync(ct))
            .ToDictionary(e => e.Url, StringComparer.Ordinal);
        for (var offset = 0L; ;)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"jobs?order_by=timestamp&order=desc&limit={options.JobPageSize}&offset={offset}");
            var (listing, etag) = await ListAsync(path, storedPages.GetValueOrDefault(upstream.UrlOf(path)), _abort.Token);
            if (etag is not null && offset < KeptListingPages * options.JobPageSize)
                await StoreListingAsync(db, path, etag, listing, ct);
            if (offset == 0)
                Progress.AddTotal(listing.Total);
            var items = listing.Items;
            if (items.Count == 0)
                return;

            var ids = items.Select(i => i.Id).ToArray();
            var locals = await LocalJobs(db, db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id))).ToDictionaryAsync(l => l.Id, ct);
            var wholeKnown = true;
            foreach (var item in items)
            {
                if (held.Contains(item.Id))
                {
                    Progress.AddTotal(-1);
                    continue;
                }
                Progress.Plan();
                if (locals.TryGetValue(item.Id, out var local) && local.State == item.State && local.Timestamp == item.Timestamp)
                {
                    Progress.Count(SyncOutcome.Unchanged);
                    continue;
                }
                wholeKnown = false;
                await work.WriteAsync(new WorkItem(item.Id, local), ct);
            }

            offset += items.Count;
            if (wholeKnown && await HoldsEveryOlderJobAsync(db, items[^1], listing.Total - offset, ct))
            {
                Progress.Settle();
                return;
            }
            if (offset >= listing.Total)
                return;
        }
    }

    // A page wholly held unchanged ends the listing only when the mirror holds as many older jobs as the upstream
    // lists after it: an interrupted run leaves older jobs missing, and the next run goes on.
    private static async Task<bool> HoldsEveryOlderJobAsync(OrchestratorDbContext db, ListedJob last, long upstreamOlder, CancellationToken ct)
    {
        if (upstreamOlder <= 0)
            return true;
        var timestamp = last.Timestamp!.Value;
        var localOlder = await db.Jobs.LongCountAsync(j => j.Timestamp < timestamp || (j.Timestamp == timestamp && j.Id < last.Id), ct);
        return localOlder >= upstreamOlder;
    }

    // The ETag comes back only when the page should be stored: it came with a body and every item had an id. After a
    // 304 the stored listing is used, and the mirror's rows still decide what to read.
    private async Task<(Listing Listing, string? ETag)> ListAsync(string path, SyncETag? stored, CancellationToken ct)
    {
        var page = await upstream.GetAsync(path, keep: false, stored?.ETag, ct);
        if (page.Gone)
            throw new UpstreamException($"{upstream.Describe(path)}: 404");
        if (page.Body is null)
            return (JsonSerializer.Deserialize<Listing>(stored!.VouchesFor) ?? throw new InvalidOperationException("A stored listing page is empty."), null);

        var where = upstream.Describe(path);
        using var document = Parse(page.Body, where);
        var root = document.RootElement;
        var items = Items(root, where);
        if (!root.TryGetProperty("pagination", out var pagination) || pagination.ValueKind != JsonValueKind.Object
            || !pagination.TryGetProperty("total", out var totalElement) || !totalElement.TryGetInt64(out var total))
            throw new UpstreamException($"{where} $.pagination.total: expected an integer");

        var listed = new List<ListedJob>();
        foreach (var (index, item) in items.EnumerateArray().Index())
        {
            if (JobIdOf(item) is not { } id)
            {
                Fail($"{where} $.items[{index}].name: no job id; the job is skipped");
                continue;
            }
            var state = WireName<JobState>.TryParse(StringOf(item, "state"), out var parsed) ? parsed : (JobState?)null;
            var timestamp = StringOf(item, "timestamp") is { } text && IsoTimestamp.TryParse(text, out var utc) ? utc : (DateTime?)null;
            listed.Add(new ListedJob(id, state, timestamp));
        }
        return (new Listing(total, listed), listed.Count == items.GetArrayLength() ? page.ETag : null);
    }

    // Workers read at once but write one at a time; once stopping, a worker finishes the job in hand and takes no more.
    private async Task WorkAsync(ChannelReader<WorkItem> work)
    {
        var ct = _abort.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.IsSqlite())
        {
            // An fsync at every job's commit would bound the rate (docs/performance.md). WAL keeps the file whole; a
            // commit lost to a power cut leaves a job missing or unfinished, which the next run reads again.
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL", ct);
        }
        var importer = new JobImporter(db);
        var learned = new Dictionary<long, List<SyncETag>>();
        await foreach (var item in work.ReadAllAsync(ct))
        {
            if (_stopping.IsCancellationRequested)
                continue;
            if (learned.Count >= JobsPerETagWrite)
                await WritingAsync(() => StoreETagsAsync(db, learned, ct), ct);
            using var job = await FetchAsync(item, db, learned, ct);
            if (job is not null)
                await WritingAsync(() => WriteAsync(db, importer, job, learned, ct), ct);
        }
        await WritingAsync(() => StoreETagsAsync(db, learned, ct), ct);
    }

    private async Task WritingAsync(Func<Task> write, CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            await write();
        }
        finally
        {
            _writing.Release();
        }
    }

    // Null when the job is unchanged, gone or failed, and counted so.
    private async Task<UpstreamJob?> FetchAsync(WorkItem item, OrchestratorDbContext db, Dictionary<long, List<SyncETag>> learned, CancellationToken ct)
    {
        try
        {
            var fresh = new Dictionary<string, UpstreamDocument>(StringComparer.Ordinal);
            if (item.Stored is { } stored && await RevalidateAsync(item, stored, fresh, db, learned, ct))
            {
                Progress.Count(SyncOutcome.Unchanged);
                return null;
            }
            return await ReadJobAsync(item, fresh, ct);
        }
        catch (JobGoneException)
        {
            report($"job {item.Id}: gone from the upstream (404) between listing and reading; skipped");
            Progress.Count(SyncOutcome.Skipped);
            return null;
        }
        catch (UpstreamException e)
        {
            Fail($"job {item.Id}: {e.Message}");
            return null;
        }
    }

    // Unchanged when no event is new, the job and its nodes answer 304 to the stored ETags, and the mirror's copy is
    // still the job they were stored with. Otherwise the answers with a body are left in fresh for the read.
    private async Task<bool> RevalidateAsync(WorkItem item, StoredETags stored, Dictionary<string, UpstreamDocument> fresh,
        OrchestratorDbContext db, Dictionary<long, List<SyncETag>> learned, CancellationToken ct)
    {
        var jobPath = JobPath(item.Id);
        var eventsPath = EventsPath(item.Id, item.Local?.NewestEventId + 1);
        if (!stored.Documents.Any(d => d.Path == jobPath))
            return false;

        // Events first: they are what a running job changes most.
        var events = await GetAsync(eventsPath, keep: true, stored.Documents.FirstOrDefault(d => d.Path == eventsPath).ETag, ct);
        if (events.Body is not null)
            fresh[eventsPath] = events;
        if (!events.NotModified)
        {
            var where = upstream.Describe(eventsPath);
            using var page = Parse(events.Body!, where);
            if (Items(page.RootElement, where).GetArrayLength() > 0)
                return false;
        }

        var documents = stored.Documents.Where(d => !d.Path.StartsWith(jobPath + "/events", StringComparison.Ordinal))
            .OrderBy(d => d.Path == jobPath ? 0 : 1).ThenBy(d => d.Path, StringComparer.Ordinal).ToList();
        foreach (var (path, etag) in documents)
        {
            var answer = await GetAsync(path, keep: true, etag, ct);
            if (answer.Body is not null)
                fresh[path] = answer;
            if (!answer.NotModified)
                return false;
        }

        // The upstream is as it was; the mirror's copy must still be the job it was then (not since imported or restored).
        var held = await db.Jobs.AsNoTracking().AsSplitQuery().Include(j => j.Statuses).Include(j => j.Nodes)
            .SingleOrDefaultAsync(j => j.Id == item.Id, ct);
        if (held is null || JobComparer.Fingerprint(held, await db.NodeEvents.CountAsync(e => e.JobId == item.Id, ct)) != stored.Fingerprint)
            return false;

        if (!events.NotModified && events.ETag is not null)
        {
            var seen = DateTime.UtcNow;
            learned[item.Id] = [.. documents.Append((Path: eventsPath, events.ETag)).Select(d => Row(d.Path, d.ETag, item.Id, stored.Fingerprint, seen))];
        }
        return true;
    }

    private async Task<UpstreamJob> ReadJobAsync(WorkItem item, Dictionary<string, UpstreamDocument> fresh, CancellationToken ct)
    {
        var jobPath = JobPath(item.Id);
        var jobAnswer = fresh.Remove(jobPath, out var received) ? received : await GetAsync(jobPath, keep: true, null, ct);
        var job = new UpstreamJob(item, new UpstreamPage(jobPath, Parse(jobAnswer.Body!, upstream.Describe(jobPath)), 0, 1, jobAnswer.ETag));
        try
        {
            var root = job.Job.Document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new UpstreamException($"{upstream.Describe(jobPath)} $: expected an object");
            int? nodeCount = root.TryGetProperty("node_count", out var count) && count.TryGetInt32(out var n) ? n : null;
            var unfinished = WireName<JobState>.TryParse(StringOf(root, "state"), out var state) && !IsDone(state);
            if (!unfinished)
                upstream.Forget(jobPath);

            long? caughtUp = null;
            for (var offset = 0; ;)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"{jobPath}/nodes?limit={options.NodePageSize}&offset={offset}");
                var page = await ReadPageAsync(path, unfinished, offset, fresh, ct);
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
                job.EventPages.Add(page);
                if (page.Count == 0)
                    break;
                upstream.Forget(path); // only an empty page is asked for again
                index += page.Count;
                var next = NextEvent(page.Document.RootElement)
                    ?? throw new UpstreamException($"{upstream.Describe(path)} $.next-events.event: expected a string of digits");
                if (next <= (start ?? 0))
                    throw new UpstreamException($"{upstream.Describe(path)} $.next-events.event: does not move past {start ?? 0}");
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

    private async Task<UpstreamDocument> GetAsync(string path, bool keep, string? storedETag, CancellationToken ct)
    {
        var answer = await upstream.GetAsync(path, keep, storedETag, ct);
        return answer.Gone ? throw new JobGoneException() : answer;
    }

    private async Task<UpstreamPage> ReadPageAsync(string path, bool keep, int firstIndex, Dictionary<string, UpstreamDocument> fresh, CancellationToken ct)
    {
        var answer = fresh.Remove(path, out var received) ? received : await GetAsync(path, keep, null, ct);
        var where = upstream.Describe(path);
        var document = Parse(answer.Body!, where);
        try
        {
            return new UpstreamPage(path, document, firstIndex, Items(document.RootElement, where).GetArrayLength(), answer.ETag);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private async Task WriteAsync(OrchestratorDbContext db, JobImporter importer, UpstreamJob job, Dictionary<long, List<SyncETag>> learned, CancellationToken ct)
    {
        var held = job.Item.Local is null ? null : await LoadHeldAsync(db, job.Id, ct);
        var reader = new ImportReader(new ImportLimits());
        using (var document = JsonDocument.Parse(job.Compose(held?.Events ?? [])))
            reader.Read(document.RootElement);
        if (reader.Problems.Count > 0)
        {
            Fail(reader.Problems.Select(p => job.Locate(p, upstream.Describe)));
            return;
        }
        var fresh = reader.Jobs[0];
        if (fresh.Id != job.Id)
        {
            Fail($"job {job.Id}: {upstream.Describe(job.Job.Path)} $.name: names job {fresh.Id}; not stored");
            return;
        }
        var vouched = Vouched(job, fresh);
        if (held is not null && JobComparer.Same(held, fresh))
        {
            learned[job.Id] = vouched;
            Progress.Count(SyncOutcome.Unchanged);
        }
        else if (await ImportAsync(importer, reader, job, ct))
        {
            learned[job.Id] = vouched;
            Progress.Count(held is null ? SyncOutcome.New : SyncOutcome.Updated);
        }
    }

    private async Task<bool> ImportAsync(JobImporter importer, ImportReader reader, UpstreamJob job, CancellationToken ct)
    {
        try
        {
            var result = await importer.ImportAsync(reader, ct);
            if (!result.Succeeded)
                Fail(result.Problems.Select(p => job.Locate(p, upstream.Describe)));
            return result.Succeeded;
        }
        catch (DbUpdateException e)
        {
            Fail($"job {job.Id}: the mirror's database refused it: {e.InnerException?.Message ?? e.Message}");
            return false;
        }
    }

    // A later run asks again for the job's document, its node pages and, when it was empty, its last events page.
    // A done job is not read again, so it keeps none.
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
        return new SyncETag { UrlHash = SHA256.HashData(Encoding.UTF8.GetBytes(url)), Url = url, ETag = etag, JobId = jobId, VouchesFor = vouchesFor, SeenAt = seen };
    }

    // The data version does not move: ETags are not served.
    private static async Task StoreETagsAsync(OrchestratorDbContext db, Dictionary<long, List<SyncETag>> learned, CancellationToken ct)
    {
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

    private async Task StoreListingAsync(OrchestratorDbContext db, string path, string etag, Listing listing, CancellationToken ct)
    {
        var row = Row(path, etag, null, JsonSerializer.Serialize(listing), DateTime.UtcNow);
        await db.SyncETags.Where(e => e.UrlHash == row.UrlHash).ExecuteDeleteAsync(ct);
        db.SyncETags.Add(row);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    // Only this upstream's, and only sets stored together.
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

    // Walks the upstream's ids beside the mirror's; each job the upstream lacks is confirmed gone by a 404 of its own,
    // since a listing that shifted while read could skip one.
    private async Task<int> PruneAsync()
    {
        var ct = _abort.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        var pruned = 0;
        var below = 0L;
        for (var offset = 0L; !_stopping.IsCancellationRequested;)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"jobs?order_by=name&order=asc&limit={PrunePageSize}&offset={offset}");
            var items = (await ListAsync(path, null, ct)).Listing.Items;
            var upstreamIds = items.Select(i => i.Id).ToHashSet();
            var upTo = items.Count == 0 ? long.MaxValue : upstreamIds.Max();
            for (var after = below; ;)
            {
                var localIds = await db.Jobs.AsNoTracking().Where(j => j.Id > after && j.Id <= upTo)
                    .OrderBy(j => j.Id).Select(j => j.Id).Take(IdsPerQuery).ToListAsync(ct);
                if (localIds.Count == 0)
                    break;
                var gone = new List<long>();
                foreach (var id in localIds.Where(id => !upstreamIds.Contains(id)))
                {
                    if ((await upstream.GetAsync(JobPath(id), keep: false, null, ct)).Gone)
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
            throw new UpstreamException($"{where} {e.Path ?? "$"}: not valid JSON ({e.Message})");
        }
    }

    private static JsonElement Items(JsonElement root, string where) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items
            : throw new UpstreamException($"{where} $.items: expected an array");

    private static long? JobIdOf(JsonElement job) => Digits(StringOf(job, "name") ?? StringOf(job, "id")?.TrimEnd('/').Split('/')[^1]);

    private static long? NextEvent(JsonElement document) =>
        document.TryGetProperty("next-events", out var next) ? Digits(StringOf(next, "event")) : null;

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Digits(string? text) =>
        text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;

    private sealed record ListedJob(long Id, JobState? State, DateTime? Timestamp);

    /// <summary>What the sync reads of a listing page, stored as JSON beside its ETag.</summary>
    private sealed record Listing(long Total, List<ListedJob> Items);

    /// <summary>A job's document answered 404: the job was deleted upstream between listing and reading.</summary>
    private sealed class JobGoneException : Exception;
}
