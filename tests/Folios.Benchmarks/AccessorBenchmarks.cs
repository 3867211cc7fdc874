using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Folios;

namespace Folios.Benchmarks;

/// <summary>
/// ReadUInt32LittleEndian through the helpers, in a page and straddling one, against BinaryPrimitives on a span at
/// the same offsets and SequenceReader over the same pages. Each benchmark sums 1024 reads at varying offsets, so
/// the JIT can neither hoist nor drop the baseline; one category per placement, each with its own baseline.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AccessorBenchmarks
{
    private const int Reads = 1024;
    private const int PageSize = 4096;
    private PageAllocator _allocator = null!;
    private ExtentBuffer _buffer = null!;
    private ReadOnlySequence<byte> _sequence;
    private byte[] _array = null!;
    private int[] _inPage = null!;
    private int[] _straddling = null!;
    private Folio[] _pages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 16 << 20 });
        _buffer = ExtentBuffer.Allocate(_allocator, 4 * PageSize);
        _array = new byte[4 * PageSize];
        new Random(1).NextBytes(_array);
        _buffer.Write(0, _array);
        _sequence = PageSequence.Of(_buffer);
        // In a page: spread over all four pages, never within 4 bytes of a boundary.
        _inPage = Enumerable.Range(0, Reads).Select(i => i % 4 * PageSize + i * 37 % (PageSize - 4)).ToArray();
        // Straddling: 1, 2 or 3 bytes before each of the three inner boundaries.
        _straddling = Enumerable.Range(0, Reads).Select(i => (1 + i % 3) * PageSize - 1 - i / 3 % 3).ToArray();
        _pages = [_allocator.Allocate(0), _allocator.Allocate(0), _allocator.Allocate(0), _allocator.Allocate(0)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer.Dispose();
        _allocator.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Reads), BenchmarkCategory("InPage")]
    public uint BinaryPrimitivesInPage() => SumSpan(_inPage);

    [Benchmark(OperationsPerInvoke = Reads), BenchmarkCategory("InPage")]
    public uint HelperInPage() => SumHelper(_inPage);

    [Benchmark(Baseline = true, OperationsPerInvoke = Reads), BenchmarkCategory("Straddling")]
    public uint BinaryPrimitivesStraddling() => SumSpan(_straddling);

    [Benchmark(OperationsPerInvoke = Reads), BenchmarkCategory("Straddling")]
    public uint HelperStraddling() => SumHelper(_straddling);

    [Benchmark(OperationsPerInvoke = Reads), BenchmarkCategory("Straddling")]
    public uint SequenceReaderStraddling()
    {
        uint sum = 0;
        foreach (int offset in _straddling)
        {
            var reader = new SequenceReader<byte>(_sequence.Slice(offset, 4));
            reader.TryReadLittleEndian(out int value);
            sum += (uint)value;
        }
        return sum;
    }

    [Benchmark, BenchmarkCategory("Map")]
    public void MapUnmapFourPages()
    {
        _allocator.Map(_pages).Unmap();
    }

    private uint SumSpan(int[] offsets)
    {
        var span = _array.AsSpan();
        uint sum = 0;
        foreach (int offset in offsets)
            sum += BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
        return sum;
    }

    private uint SumHelper(int[] offsets)
    {
        var buffer = _buffer;
        uint sum = 0;
        foreach (int offset in offsets)
            sum += buffer.ReadUInt32LittleEndian(offset);
        return sum;
    }
}
