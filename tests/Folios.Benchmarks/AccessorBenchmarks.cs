using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Folios;

namespace Folios.Benchmarks;

/// <summary>ReadUInt32LittleEndian in-page and straddling, against BinaryPrimitives on a span; Map+Unmap of 4 pages.</summary>
public class AccessorBenchmarks
{
    private PageAllocator _allocator = null!;
    private ExtentBuffer _buffer = null!;
    private byte[] _array = null!;
    private Folio[] _pages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 16 << 20 });
        _buffer = ExtentBuffer.Allocate(_allocator, 16384);
        _array = new byte[16384];
        _pages = [_allocator.Allocate(0), _allocator.Allocate(0), _allocator.Allocate(0), _allocator.Allocate(0)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer.Dispose();
        _allocator.Dispose();
    }

    [Benchmark(Baseline = true)]
    public uint BinaryPrimitivesOnSpan() => BinaryPrimitives.ReadUInt32LittleEndian(_array.AsSpan(100));

    [Benchmark]
    public uint HelperInPage() => _buffer.ReadUInt32LittleEndian(100);

    [Benchmark]
    public uint HelperStraddling() => _buffer.ReadUInt32LittleEndian(4094);

    [Benchmark]
    public uint SequenceReaderOnArray()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_array, 100, 8));
        reader.TryReadLittleEndian(out int value);
        return (uint)value;
    }

    [Benchmark]
    public void MapUnmapFourPages()
    {
        _allocator.Map(_pages).Unmap();
    }
}
