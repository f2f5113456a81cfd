using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>Values read at a <see cref="DataVersion"/>; when a newer version is seen, every entry of the older ones expires.</summary>
public sealed class VersionedCache<TValue>(long sizeLimit) : IDisposable
{
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = Math.Max(sizeLimit, 1), CompactionPercentage = 0.25 });
    private readonly Lock _swap = new();
    private Generation _current = new(long.MinValue);

    /// <summary>False when the size limit is 0: nothing is kept.</summary>
    public bool Enabled => sizeLimit > 0;

    public bool TryGet(long version, object key, out TValue value)
    {
        if (Enabled && _memory.TryGetValue((version, key), out var found) && found is TValue typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps nothing larger than a tenth of the limit, or read at an older version than one already seen.</summary>
    public void Set(long version, object key, TValue value, long size)
    {
        if (!Enabled || size > sizeLimit / 10 + 1 || GenerationOf(version) is not { } generation)
            return;
        using var entry = _memory.CreateEntry((version, key));
        entry.Value = value;
        entry.Size = size;
        entry.AddExpirationToken(new CancellationChangeToken(generation.Expiry.Token));
    }

    public void Dispose() => _memory.Dispose();

    private Generation? GenerationOf(long version)
    {
        lock (_swap)
        {
            if (version > _current.Version)
            {
                _current.Expiry.Cancel();
                _current = new Generation(version);
            }

            return version == _current.Version ? _current : null;
        }
    }

    // Its token source is never disposed: a request may still be adding an entry to a generation another one expired.
    private sealed record Generation(long Version)
    {
        public CancellationTokenSource Expiry { get; } = new();
    }
}
