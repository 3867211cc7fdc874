using System.Buffers;
using System.Runtime.CompilerServices;
using Folios;

namespace Folios.Benchmarks;

/// <summary>A ReadOnlySequence over a buffer's pages, one segment per page even where pages are neighbours (which
/// ExtentBuffer.AsSequence would join): the multi-segment peer for the helpers.</summary>
internal static unsafe class PageSequence
{
    public static ReadOnlySequence<byte> Of(ExtentBuffer buffer)
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
