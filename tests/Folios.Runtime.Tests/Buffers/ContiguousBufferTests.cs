namespace Folios.Tests.Buffers;

public class ContiguousBufferTests
{
    [Fact]
    public void A_free_folio_is_used_when_one_can_be_had()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = allocator.AllocateContiguous(20000);
        Assert.True(buffer.IsFolio);
        Assert.Equal(20000, buffer.Span.Length);
    }

    [Fact]
    public void Under_fragmentation_it_falls_back_to_mapped_pages_honouring_NoFail()
    {
        using var allocator = BufferFactory.Allocator(4096, faults: new FailPageAlloc());
        var warnings = new List<NoFailOrderWarningEventArgs>();
        allocator.NoFailOrderWarning += (_, w) => warnings.Add(w);
        using var buffer = allocator.AllocateContiguous(16384, AllocFlags.NoFail);
        Assert.False(buffer.IsFolio);
        buffer.Span.Fill(9);
        Assert.Equal(16384, buffer.Span.Length);
        Assert.Empty(warnings); // NoFail was stripped from the opportunistic attempt
        Assert.Equal(1, allocator.Statistics.Fallbacks);
    }

    [Fact]
    public void Small_sizes_are_a_folio_with_the_callers_flags()
    {
        using var allocator = BufferFactory.Allocator(4096, faults: new FailPageAlloc { MinOrder = 0 });
        using var buffer = allocator.AllocateContiguous(8000, AllocFlags.NoFail);
        Assert.True(buffer.IsFolio);
    }

    [Theory]
    [InlineData(4096, AllocFlags.None, true)]
    [InlineData(8000, AllocFlags.NoFail, true)]
    [InlineData(8000, AllocFlags.None, false)]
    [InlineData(40000, AllocFlags.NoFail, false)]
    public void AllocateContiguous_and_FolioOrMapped_buffers_follow_one_policy(int length, AllocFlags flags, bool folio)
    {
        // Every folio above order 0 fails, so whatever is not a reliable folio request falls back to mapped pages.
        using var allocator = BufferFactory.Allocator(4096, faults: new FailPageAlloc { MinOrder = 1 });
        using var contiguous = allocator.AllocateContiguous(length, flags);
        using var buffer = ExtentBuffer.Allocate(allocator, length, AllocationPolicy.FolioOrMapped, flags);
        Assert.Equal(folio, contiguous.IsFolio);
        Assert.Equal(folio ? BufferLayout.Folio : BufferLayout.Mapped, buffer.Layout);
        Assert.Equal(folio ? 0 : 2, allocator.Statistics.Fallbacks);
    }

    [Fact]
    public void Dispose_unmaps_and_frees_and_the_span_is_refused_afterwards()
    {
        using var allocator = BufferFactory.Allocator(4096, faults: new FailPageAlloc());
        var buffer = allocator.AllocateContiguous(40000);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Equal(64, allocator.Statistics.FreePages);
        Assert.Equal(0, allocator.Statistics.LiveMappings);
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.AllocateContiguous(0));
    }
}
