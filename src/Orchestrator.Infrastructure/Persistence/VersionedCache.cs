using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>Values read at a <see cref="DataVersion"/>; when a newer version is seen, every entry of the older ones expires.</summary>
public sealed class VersionedCache<TValue>(long sizeLimit) : IDisposable
{
    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = Math.Max(sizeLimit, 1), CompactionPercentage = 0.25 });
    private readonly Lock _swap = new();
    private long _version = long.MinValue;
    // Never disposed: a request may still be adding an entry under a token another one has just cancelled.
    private CancellationTokenSource _expiry = new();

    public bool Enabled => sizeLimit > 0;

    public bool TryGet(long version, object key, out TValue value) => _memory.TryGetValue((version, key), out value!);

    public void Set(long version, object key, TValue value, long size)
    {
        if (!Enabled || size > sizeLimit / 10 + 1 || ExpiryOf(version) is not { } expiry)
            return;
        using var entry = _memory.CreateEntry((version, key));
        entry.Value = value;
        entry.Size = size;
        entry.AddExpirationToken(new CancellationChangeToken(expiry.Token));
    }

    public void Dispose() => _memory.Dispose();

    private CancellationTokenSource? ExpiryOf(long version)
    {
        lock (_swap)
        {
            if (version > _version)
            {
                _expiry.Cancel();
                _expiry = new CancellationTokenSource();
                _version = version;
            }

            return version == _version ? _expiry : null;
        }
    }
}
