using System.Buffers;
using BenchmarkDotNet.Attributes;
using Folios;

namespace Folios.Benchmarks;

/// <summary>Order-0 allocate+free against ArrayPool rent+return of the same size; order 2 in a fragmented arena.</summary>
[MemoryDiagnoser]
public class AllocatorBenchmarks
{
    private const int OperationsPerThread = 10_000;
    private PageAllocator _allocator = null!;
    private PageAllocator _fragmented = null!;

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 << 20 });
        _fragmented = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 16 << 20, ReservePages = 0 });
        var pages = new Folio[_fragmented.Statistics.TotalPages];
        int filled = _fragmented.AllocatePages(pages, AllocFlags.None);
        // Keep one page of every aligned group of 8 allocated: order 2 must search and split, order 3 fails.
        for (int i = 0; i < filled; i++)
        {
            if (i % 8 != 0)
                _fragmented.Free(pages[i]);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _allocator.Dispose();
        _fragmented.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationsPerThread)]
    public void ArrayPoolRentReturn()
    {
        for (int i = 0; i < OperationsPerThread; i++)
            ArrayPool<byte>.Shared.Return(ArrayPool<byte>.Shared.Rent(4096));
    }

    [Benchmark(OperationsPerInvoke = OperationsPerThread)]
    public void Order0AllocateFree()
    {
        for (int i = 0; i < OperationsPerThread; i++)
            _allocator.Free(_allocator.Allocate(0));
    }

    [Benchmark(OperationsPerInvoke = 2 * OperationsPerThread)]
    public void ArrayPoolRentReturnTwoThreads() => Parallel.Invoke(ArrayPoolRentReturn, ArrayPoolRentReturn);

    [Benchmark(OperationsPerInvoke = 2 * OperationsPerThread)]
    public void Order0AllocateFreeTwoThreads() => Parallel.Invoke(Order0AllocateFree, Order0AllocateFree);

    [Benchmark(OperationsPerInvoke = OperationsPerThread)]
    public void Order2InFragmentedArena()
    {
        for (int i = 0; i < OperationsPerThread; i++)
        {
            if (_fragmented.TryAllocate(2, AllocFlags.NoWarn, out var folio))
                _fragmented.Free(folio);
        }
    }
}
