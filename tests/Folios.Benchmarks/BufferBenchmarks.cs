using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Folios;

namespace Folios.Benchmarks;

/// <summary>
/// Paged reads against contiguous copies and ReadOnlySequence over the same pages. Source and destination are
/// page-aligned native memory 64 KiB + 64 bytes apart, away from the AMD/glibc memmove distances (8-24 bytes mod 4096).
/// </summary>
[MemoryDiagnoser]
public unsafe class BufferBenchmarks
{
    private PageAllocator _allocator = null!;
    private ExtentBuffer _paged = null!;
    private PageMapping _view = null!;
    private ReadOnlySequence<byte> _sequence;
    private byte* _contiguous;
    private byte* _destination;

    [Params(16 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 << 20 });
        _paged = ExtentBuffer.Allocate(_allocator, Size);
        _view = _paged.Map();
        _contiguous = (byte*)NativeMemory.AlignedAlloc((nuint)Size + (1 << 20), 4096);
        _destination = _contiguous + Size + 65536 + 64;
        _sequence = Sequence(_paged);
        new Random(1).NextBytes(new Span<byte>(_contiguous, Size));
        _paged.Write(0, new ReadOnlySpan<byte>(_contiguous, Size));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
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

    private static ReadOnlySequence<byte> Sequence(ExtentBuffer buffer)
    {
        Segment? first = null, last = null;
        for (int i = 0; i < buffer.FolioCount; i++)
        {
            var memory = new UnmanagedMemory(buffer.GetFolio(i)).Memory;
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory) => (Segment)(Next = new Segment(memory, RunningIndex + Memory.Length));
    }

    private sealed class UnmanagedMemory(Folio folio) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => folio.Span;
        public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)Unsafe.AsPointer(ref folio.Span[elementIndex]));
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
