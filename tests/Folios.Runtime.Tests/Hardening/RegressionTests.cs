using System.Reflection;
using Folios.Tests.Mapping;

namespace Folios.Tests.Hardening;

/// <summary>Each case found by trying the runtime from outside: hangs, leaks on error paths, races, wrong errors.</summary>
public class RegressionTests
{
    private static PageAllocator Create(int pages = 16, int pageSize = 4096, FailPageAlloc? faults = null, int maxMappedPages = 16384, TimeSpan? noFailTimeout = null) =>
        new(new PageAllocatorOptions
        {
            PageSize = pageSize,
            ArenaBytes = (long)pageSize * pages,
            MaxOrder = 4,
            ReservePages = 0,
            FaultInjection = faults,
            MaxMappedPages = maxMappedPages,
            NoFailTimeout = noFailTimeout ?? TimeSpan.FromSeconds(10),
        });

    /// <summary>A request that once blocked forever: run it with a limit, so a regression fails instead of hanging.</summary>
    private static T Within<T>(Func<T> request)
    {
        var task = Task.Run(request);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the request hung");
        return task.GetAwaiter().GetResult();
    }

    [Fact]
    public void NoFail_requests_larger_than_the_arena_fail_at_once()
    {
        using var allocator = Create(pages: 16);
        Assert.Equal(AllocationFailureReason.LargerThanArena,
            Assert.Throws<PageAllocationException>(() => Within(() => ExtentBuffer.Allocate(allocator, 128 << 10))).Reason);
        Assert.Equal(AllocationFailureReason.LargerThanArena,
            Assert.Throws<PageAllocationException>(() => Within(() => allocator.AllocateContiguous(128 << 10, AllocFlags.NoFail))).Reason);
        var error = Assert.Throws<PageAllocationException>(() => Within(() => allocator.AllocatePages(new Folio[17], AllocFlags.NoFail)));
        Assert.Equal(AllocationFailureReason.LargerThanArena, error.Reason);
        Assert.Contains("17 order-0 pages from an arena of 16", error.Message);
        Assert.Equal(16, allocator.Statistics.FreePages);
        using var small = Create(pages: 8);
        Assert.Equal(AllocationFailureReason.LargerThanArena,
            Assert.Throws<PageAllocationException>(() => Within(() => small.Allocate(4, AllocFlags.NoRetry))).Reason);
        Assert.Equal(AllocationFailureReason.LargerThanArena,
            Assert.Throws<PageAllocationException>(() => Within(() => small.AllocateContiguous(16 * 4096, AllocFlags.NoFail))).Reason);
    }

    [Fact]
    public void A_length_whose_pages_exceed_an_int_is_out_of_range_at_once()
    {
        using var allocator = Create();
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => Within(() => ExtentBuffer.Allocate(allocator, int.MaxValue))).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => Within(() => allocator.AllocateContiguous(int.MaxValue))).ParamName);
    }

    [Fact]
    public void NoFail_gives_up_after_NoFailTimeout_without_progress_and_keeps_nothing()
    {
        using var allocator = Create(pages: 16, noFailTimeout: TimeSpan.FromMilliseconds(200));
        var held = new Folio[16];
        Assert.Equal(16, allocator.AllocatePages(held, AllocFlags.NoFail));
        var error = Assert.Throws<PageAllocationException>(() => Within(() => allocator.Allocate(0, AllocFlags.NoFail)));
        Assert.Equal(AllocationFailureReason.NoProgress, error.Reason);
        Assert.Contains("NoFailTimeout", error.Message);
        Assert.Equal(AllocationFailureReason.NoProgress,
            Assert.Throws<PageAllocationException>(() => Within(() => ExtentBuffer.Allocate(allocator, 8192))).Reason);
        foreach (var folio in held)
            allocator.Free(folio);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void NoFail_keeps_waiting_while_other_threads_free_pages()
    {
        using var allocator = Create(pages: 16, noFailTimeout: TimeSpan.FromSeconds(1.5));
        var held = new Folio[16];
        allocator.AllocatePages(held, AllocFlags.NoFail);
        // Frees trickle in: together they take longer than NoFailTimeout, but each one restarts the wait.
        var freer = new Thread(() =>
        {
            foreach (var folio in held)
            {
                Thread.Sleep(300);
                allocator.Free(folio);
            }
        });
        freer.Start();
        var pages = new Folio[12];
        Assert.Equal(12, Within(() => allocator.AllocatePages(pages, AllocFlags.NoFail)));
        freer.Join();
        foreach (var folio in pages)
            allocator.Free(folio);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void A_shrinker_that_claims_pages_it_never_frees_does_not_hang_a_request()
    {
        using var allocator = Create(pages: 16, noFailTimeout: TimeSpan.FromMilliseconds(200));
        using var liar = allocator.RegisterShrinker(wanted => wanted);
        var held = new Folio[16];
        allocator.AllocatePages(held);
        Assert.False(Within(() => allocator.TryAllocate(0, AllocFlags.None, out _)));
        Assert.Equal(AllocationFailureReason.NoProgress,
            Assert.Throws<PageAllocationException>(() => Within(() => allocator.Allocate(1, AllocFlags.NoFail))).Reason);
    }

    [Fact]
    public void Map_on_a_disposed_allocator_throws_ObjectDisposedException()
    {
        var allocator = Create();
        var page = allocator.Allocate(0);
        allocator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => allocator.Map([page]));
    }

    [Fact]
    public void Free_racing_Map_of_the_same_folio_never_both_succeed_and_leave_no_range()
    {
        using var allocator = Create(pages: 64);
        int bothSucceeded = 0;
        for (int round = 0; round < 3000; round++)
        {
            var folio = allocator.Allocate(0);
            PageMapping? view = null;
            bool freed = false;
            using var go = new Barrier(2);
            Parallel.Invoke(
                () => { go.SignalAndWait(); try { allocator.Free(folio); freed = true; } catch (InvalidOperationException) { } },
                () => { go.SignalAndWait(); try { view = allocator.Map([folio]); } catch (ObjectDisposedException) { } });
            if (freed && view is not null)
                bothSucceeded++;
            view?.Unmap();
            if (!freed && folio.IsAllocated)
                allocator.Free(folio);
        }
        Assert.Equal(0, bothSucceeded);
        allocator.UnmapAliases();
        Assert.Equal(64, allocator.Statistics.FreePages);
        Assert.Equal(0, ProcessMaps.ViewsOf(allocator));
    }

    [Fact]
    public void A_stale_folio_never_matches_a_later_owner_even_past_two_to_the_32_cycles()
    {
        // Four pages: too few for thread caches, so the freed page is the next one handed out whichever thread asks.
        using var allocator = Create(pages: 4);
        var stale = allocator.Allocate(0, AllocFlags.NoWait);
        allocator.Free(stale);
        // Jump the page's count 2^32 cycles ahead, where a 32-bit count would have wrapped onto the stale
        // handle's (the cycles themselves take 215 s on one core).
        var generations = (long[])typeof(PageAllocator).GetField("_generation", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(allocator)!;
        generations[stale.FirstPage] = (1L << 32) + stale.Generation - 1;
        var owner = allocator.Allocate(0, AllocFlags.NoWait);
        Assert.Equal(stale.FirstPage, owner.FirstPage);
        Assert.Equal((int)stale.Generation, (int)owner.Generation);
        Assert.NotEqual(stale, owner);
        Assert.False(stale.IsAllocated);
        Assert.Throws<ObjectDisposedException>(() => stale.Span.Length);
        Assert.Throws<InvalidOperationException>(() => allocator.Free(stale));
        Assert.True(owner.IsAllocated);
        allocator.Free(owner);
    }

    [Fact]
    public void A_spent_mapping_budget_is_a_PageAllocationException_for_buffers_and_frees_their_pages()
    {
        using var allocator = Create(pages: 16, faults: new FailPageAlloc(), maxMappedPages: 2);
        var error = Assert.Throws<PageAllocationException>(() => ExtentBuffer.Allocate(allocator, 4 * 4096, AllocationPolicy.FolioOrMapped));
        Assert.Equal(AllocationFailureReason.MappingExhausted, error.Reason);
        Assert.Equal(AllocationFailureReason.MappingExhausted,
            Assert.Throws<PageAllocationException>(() => allocator.AllocateContiguous(4 * 4096)).Reason);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(16384)]
    public void Contradictory_flags_are_rejected_by_every_policy_at_every_page_size(int pageSize)
    {
        using var allocator = Create(pages: 16, pageSize: pageSize);
        const AllocFlags bad = AllocFlags.NoFail | AllocFlags.NoWait;
        foreach (var policy in Enum.GetValues<AllocationPolicy>())
            Assert.Equal("flags", Assert.Throws<ArgumentException>(() => ExtentBuffer.Allocate(allocator, 16384, policy, bad)).ParamName);
        Assert.Equal("flags", Assert.Throws<ArgumentException>(() => allocator.AllocateContiguous(16384, bad)).ParamName);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void SetBits_and_ClearBits_past_int_MaxValue_bits_change_the_bits()
    {
        const int length = 512 << 20;
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = length, ReservePages = 0 });
        using var buffer = ExtentBuffer.Allocate(allocator, length);
        int position = int.MaxValue - 3;
        buffer.SetBits(0, position, 8);
        for (long bit = position; bit < (long)position + 8; bit++)
            Assert.True(buffer.TestBit((int)(bit >> 3), (int)(bit & 7)));
        buffer.ClearBits(0, position, 8);
        Assert.Equal(0, buffer.Compare((position >> 3) - 1, new byte[3]));
    }

    [Fact]
    public void Fault_injection_at_order_zero_fails_bulk_and_buffer_allocations_too()
    {
        using var allocator = Create(faults: new FailPageAlloc { MinOrder = 0, Probability = 100 });
        Assert.False(allocator.TryAllocate(0, AllocFlags.None, out _));
        Assert.Equal(0, allocator.AllocatePages(new Folio[4]));
        Assert.Throws<PageAllocationException>(() => ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.Pages, AllocFlags.None));
        // NoFail is never injected, as in the kernel.
        using var buffer = ExtentBuffer.Allocate(allocator, 8192);
        Assert.Equal(14, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Unmap_after_the_allocators_disposal_is_quiet_once_and_a_double_unmap_after()
    {
        var allocator = Create();
        var view = allocator.Map([allocator.Allocate(0)]);
        long address = ProcessMaps.AddressOf(view);
        allocator.Dispose();
        Assert.False(view.IsMapped);
        Assert.Contains("allocator", Assert.Throws<ObjectDisposedException>(() => view.Span.Length).Message);
        Assert.Equal("0", ProcessMaps.At(address)?.Inode); // zero pages stand in: the memfd's pages are gone
        view.Unmap();
        Assert.Contains("already unmapped", Assert.Throws<InvalidOperationException>(view.Unmap).Message);
    }

    [Fact]
    public void The_arena_goes_at_Dispose_and_its_placeholder_with_the_last_handed_out_folio()
    {
        var allocator = Create();
        using var buffer = ExtentBuffer.Allocate(allocator, 8192);
        var folio = allocator.Allocate(0);
        allocator.Dispose();
        Assert.Equal("0", ProcessMaps.At(ProcessMaps.AddressOf(allocator))?.Inode); // zero pages stand in while the buffer and the folio are out
        buffer.Dispose();
        Assert.False(allocator.Arena.AddressRangeReleased);
        allocator.Free(folio);
        Assert.True(allocator.Arena.AddressRangeReleased);

        var idle = Create();
        idle.Dispose();
        Assert.True(idle.Arena.AddressRangeReleased);
    }

    [Fact]
    public void A_view_of_two_gibibytes_is_refused_before_any_address_range_is_taken()
    {
        const int pages = 1 << 19; // 2 GiB of 4 KiB pages: one byte more than an int can count
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4096L * pages, ReservePages = 0, MaxMappedPages = int.MaxValue });
        var folios = new Folio[pages];
        Assert.Equal(pages, allocator.AllocatePages(folios));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Map(folios));
        Assert.Equal("pages", error.ParamName);
        Assert.Equal(0, ProcessMaps.ViewsOf(allocator));
        foreach (var folio in folios)
            allocator.Free(folio);
    }
}
