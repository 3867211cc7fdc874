using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Folios;
using Microsoft.IO;

namespace Folios.Benchmarks;

/// <summary>
/// Paged reads against a contiguous copy, a mapped view, ReadOnlySequence over the same pages and
/// RecyclableMemoryStream with page-sized blocks. Pages are either neighbours in the arena (a fresh arena) or
/// scattered (every other page held, so no two pages of the buffer are adjacent). Source and destination are
/// page-aligned native memory 64 KiB + 64 bytes apart, away from the AMD/glibc memmove distances (8-24 bytes mod 4096).
/// </summary>
[MemoryDiagnoser]
public unsafe class BufferBenchmarks
{
    private static readonly RecyclableMemoryStreamManager Streams = new(new RecyclableMemoryStreamManager.Options { BlockSize = 4096 });
    private PageAllocator _allocator = null!;
    private ExtentBuffer _paged = null!;
    private PageMapping _view = null!;
    private ReadOnlySequence<byte> _sequence;
    private RecyclableMemoryStream _stream = null!;
    private byte* _contiguous;
    private byte* _destination;

    [Params(16 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [Params(false, true)]
    public bool Scattered { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 << 20 });
        if (Scattered)
            HoldEveryOtherPage(_allocator);
        _paged = ExtentBuffer.Allocate(_allocator, Size);
        if (Scattered && AdjacentPairs(_paged) > 0)
            throw new InvalidOperationException($"{AdjacentPairs(_paged)} pages of the scattered buffer are neighbours.");
        _view = _paged.Map();
        _contiguous = (byte*)NativeMemory.AlignedAlloc((nuint)Size + (1 << 20), 4096);
        _destination = _contiguous + Size + 65536 + 64;
        _sequence = PageSequence.Of(_paged);
        new Random(1).NextBytes(new Span<byte>(_contiguous, Size));
        _paged.Write(0, new ReadOnlySpan<byte>(_contiguous, Size));
        _stream = Streams.GetStream("benchmark", Size);
        _stream.Write(new ReadOnlySpan<byte>(_contiguous, Size));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stream.Dispose();
        _view.Unmap();
        _paged.Dispose();
        _allocator.Dispose();
        NativeMemory.AlignedFree(_contiguous);
    }

    private Span<byte> Destination => new(_destination, Size);

    [Benchmark(Baseline = true)]
    public void ContiguousCopyTo() => new ReadOnlySpan<byte>(_contiguous, Size).CopyTo(Destination);

    [Benchmark]
    public void PagedRead() => _paged.Read(0, Destination);

    [Benchmark]
    public void ThroughMappedView() => _view.Span.CopyTo(Destination);

    [Benchmark]
    public void ReadOnlySequenceCopyTo() => _sequence.CopyTo(Destination);

    [Benchmark]
    public bool SequenceReaderTryCopyTo() => new SequenceReader<byte>(_sequence).TryCopyTo(Destination);

    [Benchmark]
    public int RecyclableMemoryStreamRead()
    {
        _stream.Position = 0;
        return _stream.Read(Destination);
    }

    private static int AdjacentPairs(ExtentBuffer buffer)
    {
        int pairs = 0;
        for (int i = 1; i < buffer.FolioCount; i++)
        {
            if ((byte*)Unsafe.AsPointer(ref buffer.GetFolio(i).Span[0]) == (byte*)Unsafe.AsPointer(ref buffer.GetFolio(i - 1).Span[0]) + 4096)
                pairs++;
        }
        return pairs;
    }

    /// <summary>Takes every page and gives back every other one: whatever is allocated next has no two neighbours.</summary>
    private static void HoldEveryOtherPage(PageAllocator allocator)
    {
        var pages = new Folio[allocator.Statistics.TotalPages];
        int filled = allocator.AllocatePages(pages);
        for (int i = 0; i < filled; i += 2)
            allocator.Free(pages[i]);
    }
}
