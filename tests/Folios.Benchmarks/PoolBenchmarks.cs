using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Folios.Benchmarks;

/// <summary>
/// Rent+return through the pools of this library against the .NET pools they stand in for: CheckedArrayPool (its
/// checks over ArrayPool.Shared, and over its own inner pool) against ArrayPool.Shared, and FolioMemoryPool against
/// MemoryPool.Shared. The checked pool poisons and scans the whole array, so its cost grows with the size.
/// </summary>
[MemoryDiagnoser]
public class PoolBenchmarks
{
    private const int Operations = 10_000;
    private readonly CheckedArrayPool<byte> _checkedOverShared = new(ArrayPool<byte>.Shared);
    private readonly CheckedArrayPool<byte> _checked = new();
    private PageAllocator _allocator = null!;
    private FolioMemoryPool _folios = null!;

    [Params(256, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 << 20 });
        _folios = new FolioMemoryPool(_allocator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _folios.Dispose();
        _allocator.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void ArrayPoolShared() => RentReturn(ArrayPool<byte>.Shared);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void CheckedOverShared() => RentReturn(_checkedOverShared);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void CheckedOwnPool() => RentReturn(_checked);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryPoolShared() => RentDispose(MemoryPool<byte>.Shared);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void FolioMemoryPool() => RentDispose(_folios);

    private void RentReturn(ArrayPool<byte> pool)
    {
        for (int i = 0; i < Operations; i++)
        {
            var array = pool.Rent(Size);
            array[0] = 1;
            pool.Return(array);
        }
    }

    private void RentDispose(MemoryPool<byte> pool)
    {
        for (int i = 0; i < Operations; i++)
        {
            using var owner = pool.Rent(Size);
            owner.Memory.Span[0] = 1;
        }
    }
}
