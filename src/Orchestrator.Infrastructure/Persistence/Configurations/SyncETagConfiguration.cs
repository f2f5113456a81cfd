using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Orchestrator.Infrastructure.Persistence.Configurations;

public sealed class SyncETagConfiguration : IEntityTypeConfiguration<SyncETag>
{
    public void Configure(EntityTypeBuilder<SyncETag> builder)
    {
        builder.ToTable("SyncETags");
        // The key is the URL's hash: binary, so no collation applies, and 32 bytes fit any index key limit.
        builder.HasKey(e => e.UrlHash);
        builder.Property(e => e.UrlHash).HasMaxLength(32).IsFixedLength();
        builder.Property(e => e.Url).HasMaxLength(4000);
        builder.Property(e => e.ETag).HasMaxLength(1000);
        builder.HasIndex(e => e.JobId);
    }
}
