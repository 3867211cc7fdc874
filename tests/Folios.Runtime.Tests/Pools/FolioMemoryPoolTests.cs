using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Folios.Tests.Pools;

/// <summary>FolioMemoryPool: sizes and limits, use after return, double return, disposal, policies and races.</summary>
public class FolioMemoryPoolTests
{
    private static PageAllocator Allocator(int pages = 64, FailPageAlloc? faults = null, int maxOrder = 4) =>
        new(new PageAllocatorOptions { ArenaBytes = 4096L * pages, MaxOrder = maxOrder, ReservePages = 0, FaultInjection = faults });

    [Theory]
    [InlineData(-1, 4096, BufferLayout.Pages)]
    [InlineData(0, 4096, BufferLayout.Pages)]
    [InlineData(1, 4096, BufferLayout.Pages)]
    [InlineData(4096, 4096, BufferLayout.Pages)]
    [InlineData(4097, 8192, BufferLayout.Folio)]
    [InlineData(16384, 16384, BufferLayout.Folio)]
    [InlineData(65536, 65536, BufferLayout.Folio)]
    public void A_request_gets_whole_pages_a_page_up_to_one_page_and_a_folio_above(int size, int length, BufferLayout layout)
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        using (var owner = pool.Rent(size))
        {
            Assert.Equal(length, owner.Memory.Length);
            owner.Memory.Span.Fill(7);
            Assert.Equal(length / 4096, allocator.Statistics.AllocatedPages);
        }
        var stats = pool.Statistics;
        Assert.Equal(layout == BufferLayout.Pages ? 1 : 0, stats.PageRents);
        Assert.Equal(layout == BufferLayout.Folio ? 1 : 0, stats.FolioRents);
        Assert.Equal((1, 1, 0, 0L), (stats.Rents, stats.Returns, stats.Outstanding, stats.OutstandingBytes));
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    [InlineData(65537)]
    [InlineData(int.MaxValue)]
    public void Sizes_below_minus_one_or_above_MaxBufferSize_are_refused_and_take_nothing(int size)
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        Assert.Equal(65536, pool.MaxBufferSize);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(size));
        Assert.Equal("minBufferSize", error.ParamName);
        Assert.Contains("65536", error.Message);
        Assert.Equal(0, pool.Statistics.Rents);
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Fact]
    public void MaxBufferSize_is_the_largest_folio_or_the_whole_arena_when_smaller()
    {
        using var small = Allocator(pages: 8, maxOrder: 10);
        using var pool = new FolioMemoryPool(small);
        Assert.Equal(8 * 4096, pool.MaxBufferSize);
        using var owner = pool.Rent(pool.MaxBufferSize);
        Assert.Equal(8 * 4096, owner.Memory.Length);
    }

    [Fact]
    public void Memory_used_after_its_owner_is_disposed_throws_and_is_counted_instead_of_showing_the_next_renter()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        var owner = pool.Rent();
        var memory = owner.Memory;
        memory.Span.Fill(1);
        Assert.Equal(1, memory.Span[4095]);
        owner.Dispose();

        using var next = pool.Rent();
        next.Memory.Span.Fill(2);
        Assert.Throws<ObjectDisposedException>(() => memory.Span[0]);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
        Assert.Throws<ObjectDisposedException>(() => MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(memory, out var manager) ? manager!.GetSpan().Length : 0);
        Assert.Equal(4, pool.Statistics.UseAfterReturn);
        Assert.All(next.Memory.ToArray(), b => Assert.Equal(2, b));
    }

    [Fact]
    public unsafe void Pinning_gives_the_address_of_the_page_and_needs_no_handle()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        using var owner = pool.Rent(100);
        using var pin = owner.Memory[10..].Pin();
        fixed (byte* first = owner.Memory.Span)
            Assert.Equal((nint)(first + 10), (nint)pin.Pointer);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((MemoryManager<byte>)owner).Pin(4097));
    }

    [Fact]
    public void A_second_dispose_is_a_double_return_counted_and_reported_never_a_second_free()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        var reports = new List<DoubleReturnEventArgs>();
        pool.DoubleReturn += (sender, e) =>
        {
            Assert.Same(pool, sender);
            reports.Add(e);
        };
        var owner = pool.Rent(5000);
        owner.Dispose();
        // The pages now belong to another renter: the double return must leave them alone.
        using var other = pool.Rent(5000);
        owner.Dispose();
        other.Memory.Span.Fill(3);
        Assert.Equal(2, allocator.Statistics.AllocatedPages);
        var report = Assert.Single(reports);
        Assert.Equal((8192, BufferLayout.Folio), (report.Length, report.Layout));
        Assert.Equal((1L, 2L, 1L), (pool.Statistics.DoubleReturns, pool.Statistics.Rents, pool.Statistics.Returns));
    }

    [Fact]
    public void A_handler_that_throws_makes_the_double_return_fail_loudly_for_tests_that_want_it()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        pool.DoubleReturn += (_, e) => throw new InvalidOperationException($"double return of {e.Length} bytes");
        var owner = pool.Rent();
        owner.Dispose();
        Assert.Equal("double return of 4096 bytes", Assert.Throws<InvalidOperationException>(owner.Dispose).Message);
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Fact]
    public void After_the_pools_disposal_rents_throw_and_memory_rented_before_stays_valid_until_returned()
    {
        using var allocator = Allocator();
        var pool = new FolioMemoryPool(allocator, owner: "closing");
        var owner = pool.Rent(10_000);
        pool.Dispose();
        pool.Dispose();
        Assert.Contains("closing", Assert.Throws<ObjectDisposedException>(() => pool.Rent()).Message);
        owner.Memory.Span.Fill(9);
        Assert.Equal(4, allocator.Statistics.AllocatedPages);
        owner.Dispose();
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
        Assert.Equal(0, pool.Statistics.Outstanding);
    }

    [Fact]
    public void After_the_allocators_disposal_memory_refuses_access_and_returning_it_is_quiet()
    {
        var allocator = Allocator();
        var pool = new FolioMemoryPool(allocator);
        var owner = pool.Rent();
        var memory = owner.Memory;
        allocator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        owner.Dispose();
        pool.Dispose();
        Assert.Equal(0, pool.Statistics.UseAfterReturn);
        Assert.Throws<ObjectDisposedException>(() => new FolioMemoryPool(allocator));
    }

    [Fact]
    public void Constructor_arguments_are_checked()
    {
        using var allocator = Allocator();
        Assert.Equal("allocator", Assert.Throws<ArgumentNullException>(() => new FolioMemoryPool(null!)).ParamName);
        Assert.Equal("owner", Assert.Throws<ArgumentNullException>(() => new FolioMemoryPool(allocator, owner: null!)).ParamName);
        foreach (var policy in new[] { AllocationPolicy.FolioOrPages, (AllocationPolicy)9 })
            Assert.Equal("largeBuffers", Assert.Throws<ArgumentOutOfRangeException>(() => new FolioMemoryPool(allocator, policy)).ParamName);
        using var pool = new FolioMemoryPool(allocator, AllocationPolicy.SingleFolio, "test");
        Assert.Equal((AllocationPolicy.SingleFolio, "test", allocator), (pool.LargeBufferPolicy, pool.Owner, pool.Allocator));
    }

    [Fact]
    public void Without_a_free_folio_SingleFolio_fails_and_FolioOrMapped_maps_order_0_pages()
    {
        using var allocator = Allocator(faults: new FailPageAlloc { MinOrder = 2 });
        using var single = new FolioMemoryPool(allocator, AllocationPolicy.SingleFolio);
        using var mapped = new FolioMemoryPool(allocator);
        Assert.Throws<PageAllocationException>(() => single.Rent(16384));
        Assert.Equal(0, allocator.Statistics.AllocatedPages);

        var owner = mapped.Rent(12000);
        var memory = owner.Memory;
        Assert.Equal(12288, memory.Length);
        memory.Span.Fill(5);
        Assert.All(memory.ToArray(), b => Assert.Equal(5, b));
        Assert.Equal((1L, 3L), (mapped.Statistics.MappedRents, mapped.Statistics.OutstandingPages));
        Assert.Equal(1, allocator.Statistics.LiveMappings);
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Equal((0, 0), (allocator.Statistics.LiveMappings, allocator.Statistics.AllocatedPages));
        // Up to order 1 the request is NoFail, which fault injection never fails.
        using var two = single.Rent(8192);
        Assert.Equal(8192, two.Memory.Length);
    }

    [Fact]
    public void Many_threads_renting_and_returning_never_share_memory_and_leave_exact_accounting()
    {
        using var allocator = Allocator(pages: 512, maxOrder: 3);
        using var pool = new FolioMemoryPool(allocator);
        int threads = Math.Max(4, Environment.ProcessorCount);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var random = new Random(thread);
            var held = new List<(IMemoryOwner<byte> Owner, byte Tag)>();
            for (int i = 0; i < 3000; i++)
            {
                if (held.Count < 8 && random.Next(2) == 0)
                {
                    var owner = pool.Rent(random.Next(-1, 3 * 4096));
                    byte tag = (byte)random.Next(256);
                    owner.Memory.Span.Fill(tag);
                    held.Add((owner, tag));
                }
                else if (held.Count > 0)
                {
                    int index = random.Next(held.Count);
                    var (owner, tag) = held[index];
                    Assert.Equal(-1, owner.Memory.Span.IndexOfAnyExcept(tag));
                    owner.Dispose();
                    held.RemoveAt(index);
                }
            }
            foreach (var (owner, _) in held)
                owner.Dispose();
        });
        var stats = pool.Statistics;
        Assert.Equal((0L, 0L, 0L, 0L), (stats.Outstanding, stats.OutstandingPages, stats.UseAfterReturn, stats.DoubleReturns));
        Assert.True(stats.PageRents > 1000 && stats.FolioRents + stats.MappedRents > 1000, $"{stats.PageRents} pages, {stats.FolioRents} folios, {stats.MappedRents} mapped");
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Fact]
    public void Two_threads_disposing_one_owner_free_it_once_and_report_the_other_as_a_double_return()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator);
        for (int i = 0; i < 200; i++)
        {
            var owner = pool.Rent();
            using var start = new Barrier(2);
            Parallel.Invoke(() => { start.SignalAndWait(); owner.Dispose(); }, () => { start.SignalAndWait(); owner.Dispose(); });
        }
        Assert.Equal((200L, 200L, 200L), (pool.Statistics.Rents, pool.Statistics.Returns, pool.Statistics.DoubleReturns));
        Assert.Equal(0, allocator.Statistics.AllocatedPages);
    }

    [Fact]
    public async Task A_pipe_over_the_pool_takes_its_segments_from_the_pages_and_gives_them_back()
    {
        using var allocator = Allocator(pages: 256);
        using var pool = new FolioMemoryPool(allocator);
        var pipe = new Pipe(new PipeOptions(pool: pool, pauseWriterThreshold: 0));
        var payload = new byte[100_000];
        new Random(1).NextBytes(payload);
        await pipe.Writer.WriteAsync(payload);
        await pipe.Writer.CompleteAsync();

        var received = new MemoryStream();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            foreach (var segment in result.Buffer)
                received.Write(segment.Span);
            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }
        await pipe.Reader.CompleteAsync();

        Assert.Equal(payload, received.ToArray());
        var stats = pool.Statistics;
        Assert.True(stats.PageRents >= payload.Length / 4096, $"{stats.PageRents} pages rented");
        Assert.Equal((0L, 0L), (stats.Outstanding, stats.UseAfterReturn));
    }

    [Fact]
    public void The_meter_counts_rented_bytes_by_layout_usage_uses_after_return_and_double_returns()
    {
        string name = $"pool-metrics-{Guid.NewGuid():N}";
        using var rented = new MetricCollector<long>(null, FoliosMeter.Name, "folios.pool.rented");
        using var usage = new MetricCollector<long>(null, FoliosMeter.Name, "folios.pool.usage");
        using var uses = new MetricCollector<long>(null, FoliosMeter.Name, "folios.pool.use_after_return");
        using var doubles = new MetricCollector<long>(null, FoliosMeter.Name, "folios.pool.double_returns");
        using var allocator = new PageAllocator(new PageAllocatorOptions { Name = name, ArenaBytes = 64 * 4096, MaxOrder = 4, ReservePages = 0 });
        using var pool = new FolioMemoryPool(allocator, owner: "metrics");
        IEnumerable<CollectedMeasurement<long>> Mine(MetricCollector<long> collector) =>
            collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags["folios.allocator.name"] == name && (string?)m.Tags["folios.pool.owner"] == "metrics");

        var page = pool.Rent();
        var folio = pool.Rent(10_000);
        Assert.Equal(4096 + 16384, Mine(usage).Sum(m => m.Value));
        page.Dispose();
        folio.Dispose();
        folio.Dispose();
        Assert.Throws<ObjectDisposedException>(() => page.Memory);

        Assert.Contains(Mine(rented), m => m.Value == 4096 && (string?)m.Tags["folios.buffer.layout"] == "pages");
        Assert.Contains(Mine(rented), m => m.Value == 16384 && (string?)m.Tags["folios.buffer.layout"] == "folio");
        Assert.Equal(0, Mine(usage).Sum(m => m.Value));
        Assert.Equal(1, Mine(uses).Sum(m => m.Value));
        Assert.Equal(1, Mine(doubles).Sum(m => m.Value));
    }

    [Fact]
    public void Under_the_Pages_policy_nothing_above_a_page_is_rented()
    {
        using var allocator = Allocator();
        using var pool = new FolioMemoryPool(allocator, AllocationPolicy.Pages);
        Assert.Equal(4096, pool.MaxBufferSize);
        using (var page = pool.Rent(4096))
            Assert.Equal(4096, page.Memory.Length);
        Assert.Equal("minBufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(4097)).ParamName);
        Assert.Equal(1, pool.Statistics.Rents);
    }

    [Fact]
    public unsafe void Over_an_array_backed_arena_the_memory_is_also_an_array_segment_until_it_is_returned()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 * 4096, MaxOrder = 4, ReservePages = 0, ArrayBackedArena = true });
        using var pool = new FolioMemoryPool(allocator);
        Assert.True(allocator.ArrayBackedArena);
        var owner = pool.Rent(5000);
        var memory = owner.Memory;
        Assert.True(MemoryMarshal.TryGetArray<byte>(memory[100..], out var segment));
        Assert.Equal(8192 - 100, segment.Count);
        segment.AsSpan().Fill(4);
        Assert.Equal(4, memory.Span[100]);
        Assert.True(Unsafe.AreSame(ref segment.Array![segment.Offset], ref memory.Span[100]));
        Assert.Equal(0, (nint)Unsafe.AsPointer(ref memory.Span[0]) % 4096); // pages start on page boundaries
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => MemoryMarshal.TryGetArray<byte>(memory, out _));
        Assert.Equal(1, pool.Statistics.UseAfterReturn);

        using var native = Allocator();
        using var nativePool = new FolioMemoryPool(native);
        using var nativeOwner = nativePool.Rent();
        Assert.False(native.ArrayBackedArena);
        Assert.False(MemoryMarshal.TryGetArray<byte>(nativeOwner.Memory, out _));
    }

    [Fact]
    public void An_array_backed_arena_cannot_map_pages_and_keeps_its_limits()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 * 4096, MaxOrder = 4, ReservePages = 0, ArrayBackedArena = true, FaultInjection = new FailPageAlloc { MinOrder = 2 } });
        Assert.Throws<PlatformNotSupportedException>(() => allocator.Map([allocator.Allocate(0)]));
        using var pool = new FolioMemoryPool(allocator);
        Assert.Throws<PlatformNotSupportedException>(() => pool.Rent(16384));
        Assert.Equal(1, allocator.Statistics.AllocatedPages);
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { ArenaBytes = Array.MaxLength / 4096 * 4096L, ArrayBackedArena = true }));
        Assert.Contains("array-backed", tooLarge.Message);
    }

    [Fact]
    public void An_array_backed_arena_serves_buffers_and_refuses_access_after_its_disposal()
    {
        var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 * 4096, MaxOrder = 4, ReservePages = 0, ArrayBackedArena = true });
        var buffer = ExtentBuffer.Allocate(allocator, 3 * 4096);
        buffer.WriteUInt64LittleEndian(4092, 0x0102030405060708);
        Assert.Equal(0x0102030405060708UL, buffer.ReadUInt64LittleEndian(4092));
        var folio = allocator.Allocate(1);
        folio.Span.Fill(9);
        allocator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => folio.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.ReadByte(0));
        buffer.Dispose();
        allocator.Free(folio);
    }
}
