using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

public sealed class VersionedCacheTests
{
    [Test]
    public void A_value_is_answered_for_its_version_only()
    {
        using var cache = new VersionedCache<string>(1000);
        cache.Set(7, "page", "seven", 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.TryGet(7, "page", out var value), Is.True);
            Assert.That(value, Is.EqualTo("seven"));
            Assert.That(cache.TryGet(8, "page", out _), Is.False);
            Assert.That(cache.TryGet(7, "other", out _), Is.False);
        }
    }

    [Test]
    public void Keys_compare_by_value()
    {
        using var cache = new VersionedCache<int>(1000);
        cache.Set(1, (Owner: "brian", States: 3), 42, 1);

        Assert.That(cache.TryGet(1, (Owner: "brian", States: 3), out var count) ? count : -1, Is.EqualTo(42));
    }

    [Test]
    public void A_newer_version_expires_every_older_entry()
    {
        using var cache = new VersionedCache<string>(1000);
        cache.Set(1, "a", "one", 1);
        cache.Set(2, "b", "two", 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.TryGet(1, "a", out _), Is.False);
            Assert.That(cache.TryGet(2, "b", out _), Is.True);
        }
    }

    [Test]
    public void A_value_read_before_a_commit_another_request_has_seen_is_not_kept()
    {
        using var cache = new VersionedCache<string>(1000);
        cache.Set(5, "a", "five", 1);

        cache.Set(4, "b", "four", 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.TryGet(4, "b", out _), Is.False);
            Assert.That(cache.TryGet(5, "a", out _), Is.True);
        }
    }

    [Test]
    public void A_zero_limit_keeps_nothing_and_a_value_over_a_tenth_of_the_limit_is_not_kept()
    {
        using var off = new VersionedCache<string>(0);
        using var small = new VersionedCache<string>(1000);
        off.Set(1, "a", "x", 1);
        small.Set(1, "big", "x", 200);
        small.Set(1, "fits", "x", 100);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(off.Enabled, Is.False);
            Assert.That(off.TryGet(1, "a", out _), Is.False);
            Assert.That(small.TryGet(1, "big", out _), Is.False);
            Assert.That(small.TryGet(1, "fits", out _), Is.True);
        }
    }
}
