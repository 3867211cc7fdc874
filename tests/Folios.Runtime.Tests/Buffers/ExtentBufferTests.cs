namespace Folios.Tests.Buffers;

public class ExtentBufferTests
{
    [Fact]
    public void Pages_is_the_default_and_spans_order_zero_folios()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, 16384);
        Assert.Equal(BufferLayout.Pages, buffer.Layout);
        Assert.Equal(4, buffer.FolioCount);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0, buffer.GetFolio(i).Order));
        Assert.Equal(2, buffer.FolioIndex(8192 + 5));
        Assert.Equal(5, buffer.OffsetInFolio(8192 + 5));
    }

    [Fact]
    public void SingleFolio_gets_one_folio_of_the_covering_order()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.None);
        Assert.Equal(BufferLayout.Folio, buffer.Layout);
        Assert.Equal(2, buffer.GetFolio(0).Order);
        Assert.Equal(0, buffer.FolioIndex(9000));
        Assert.Equal(9000, buffer.OffsetInFolio(9000));
    }

    [Fact]
    public void FolioOrPages_takes_a_folio_when_one_is_free_and_pages_when_not()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 16);
        using (var folio = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrPages))
            Assert.Equal(BufferLayout.Folio, folio.Layout);

        var pages = new Folio[16];
        allocator.AllocatePages(pages, AllocFlags.None);
        for (int i = 0; i < 16; i += 2)
            allocator.Free(pages[i]);
        var warnings = 0;
        allocator.AllocationFailed += (_, _) => warnings++;

        using var fallback = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrPages);
        Assert.Equal(BufferLayout.Pages, fallback.Layout);
        Assert.Equal(1, allocator.Statistics.Fallbacks);
        Assert.Equal(0, warnings); // the opportunistic attempt carries NoWarn
    }

    [Fact]
    public void SingleFolio_failure_leaves_nothing_allocated()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 16, faults: new FailPageAlloc());
        var error = Assert.Throws<PageAllocationException>(() => ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.None));
        Assert.Equal(AllocationFailureReason.FaultInjected, error.Reason);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Pages_without_NoFail_that_do_not_fit_leave_nothing_allocated()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 4);
        Assert.Throws<PageAllocationException>(() => ExtentBuffer.Allocate(allocator, 5 * 4096, AllocationPolicy.Pages, AllocFlags.None));
        Assert.Equal(4, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Fallbacks_under_fault_injection_keep_data_intact_across_layouts()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 256, faults: new FailPageAlloc { Probability = 50, Seed = 7 });
        var random = new Random(3);
        var expected = new byte[16384];
        random.NextBytes(expected);
        using var origin = ExtentBuffer.Allocate(allocator, 16384);
        origin.Write(0, expected);
        var layouts = new HashSet<BufferLayout>();
        int singleFolios = 0, singleFolioFailures = 0;
        for (int i = 0; i < 40; i++)
        {
            var policy = i % 2 == 0 ? AllocationPolicy.FolioOrPages : AllocationPolicy.FolioOrMapped;
            using var copy = ExtentBuffer.Allocate(allocator, 16384, policy);
            layouts.Add(copy.Layout);
            copy.CopyFrom(origin);
            using var back = ExtentBuffer.Allocate(allocator, 16384);
            back.CopyFrom(copy);
            var actual = new byte[16384];
            back.Read(0, actual);
            Assert.Equal(expected, actual);
            try
            {
                using var folioBuffer = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.NoWarn);
                folioBuffer.CopyFrom(copy);
                Assert.Equal(0, folioBuffer.Compare(0, expected));
                singleFolios++;
            }
            catch (PageAllocationException failure)
            {
                Assert.Equal(AllocationFailureReason.FaultInjected, failure.Reason);
                singleFolioFailures++;
            }
        }
        Assert.True(singleFolios > 0 && singleFolioFailures > 0);
        Assert.Equal(3, layouts.Count);
        Assert.True(allocator.Statistics.Fallbacks > 0);
    }

    [Fact]
    public void Disposing_frees_every_page_and_unmaps_the_view()
    {
        using var allocator = BufferFactory.AllocatorFor(BufferLayout.Mapped, 4096);
        var buffer = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrMapped);
        Assert.Equal(BufferLayout.Mapped, buffer.Layout);
        Assert.Equal(1, allocator.Statistics.LiveMappings);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Equal(0, allocator.Statistics.LiveMappings);
        Assert.Equal(64, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Mapped_layout_writes_reach_the_underlying_pages()
    {
        using var allocator = BufferFactory.AllocatorFor(BufferLayout.Mapped, 4096);
        using var buffer = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrMapped);
        Assert.Equal(BufferLayout.Mapped, buffer.Layout);
        buffer.WriteUInt32LittleEndian(4094, 0xA1B2C3D4);
        Assert.Equal(0xD4, buffer.GetFolio(0).Span[4094]);
        Assert.Equal(0xC3, buffer.GetFolio(0).Span[4095]);
        Assert.Equal(0xB2, buffer.GetFolio(1).Span[0]);
        Assert.Equal(0xA1, buffer.GetFolio(1).Span[1]);
    }
}
