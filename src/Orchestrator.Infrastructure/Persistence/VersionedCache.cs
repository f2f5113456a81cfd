using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Values read at one <see cref="DataVersion"/>, kept in a size-bounded <see cref="MemoryCache"/> under the version
/// and a key naming what was read (a filter set, a normalised request). A key of an older version is never looked
/// up again, so when a newer version is seen every entry of the older ones expires at once.
/// </summary>
public sealed class VersionedCache<TValue>(long sizeLimit) : IDisposable
{
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = Math.Max(sizeLimit, 1), CompactionPercentage = 0.25 });
    private readonly Lock _swap = new();
    private Generation _current = new(long.MinValue);

    /// <summary>False when the size limit is 0: nothing is kept.</summary>
    public bool Enabled => sizeLimit > 0;

    public bool TryGet(long version, object key, out TValue value)
    {
        if (Enabled && _memory.TryGetValue(new Key(version, key), out var found) && found is TValue typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> of <paramref name="size"/> (in the unit of the size limit); one larger than a tenth of the limit is not kept.</summary>
    public void Set(long version, object key, TValue value, long size)
    {
        if (!Enabled || size > sizeLimit / 10 + 1 || GenerationOf(version) is not { } generation)
            return;
        using var entry = _memory.CreateEntry(new Key(version, key));
        entry.Value = value;
        entry.Size = size;
        entry.AddExpirationToken(generation.Expired);
    }

    public void Dispose() => _memory.Dispose();

    /// <summary>The current generation, moved on to <paramref name="version"/> if it is newer; null for an older version.</summary>
    private Generation? GenerationOf(long version)
    {
        var current = Volatile.Read(ref _current);
        if (version == current.Version)
            return current;
        if (version < current.Version)
            return null; // read before a commit another request has already seen
        lock (_swap)
        {
            if (version > _current.Version)
            {
                var older = _current;
                _current = new Generation(version);
                older.Expire();
            }

            return version == _current.Version ? _current : null;
        }
    }

    private readonly record struct Key(long Version, object Value);

    private sealed class Generation(long version)
    {
        // Never disposed: a request may still be adding an entry to the generation another one just expired.
        private readonly CancellationTokenSource _expiry = new();

        public long Version { get; } = version;

        public IChangeToken Expired => new CancellationChangeToken(_expiry.Token);

        public void Expire() => _expiry.Cancel();
    }
}
