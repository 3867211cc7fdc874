using System.Buffers;

namespace Folios;

/// <summary>
/// <see cref="Memory{T}"/> over native memory that Folios may take back: every <c>GetSpan</c> and
/// <see cref="Pin"/> asks the owner first, so once the memory is freed they throw
/// <see cref="ObjectDisposedException"/> instead of exposing memory that may belong to someone else. Native memory
/// needs no GC handle to pin, and disposing the manager does nothing unless a subclass owns the memory (a pool's).
/// </summary>
internal abstract unsafe class CheckedMemory : MemoryManager<byte>
{
    /// <exception cref="ArgumentOutOfRangeException">The index lies outside the memory.</exception>
    public sealed override MemoryHandle Pin(int elementIndex = 0)
    {
        var span = GetSpan();
        if ((uint)elementIndex > (uint)span.Length)
            throw new ArgumentOutOfRangeException(nameof(elementIndex), elementIndex, $"The memory has {span.Length} bytes.");
        fixed (byte* first = span)
            return new MemoryHandle(first + elementIndex);
    }

    public sealed override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>A whole folio (<see cref="Folio.AsMemory"/>): checked through <see cref="Folio.Span"/>.</summary>
internal sealed class FolioMemory(Folio folio) : CheckedMemory
{
    public override Span<byte> GetSpan() => folio.Span;
}

/// <summary>A whole <see cref="ContiguousBuffer"/>: checked through its <see cref="ContiguousBuffer.Span"/>.</summary>
internal sealed class ContiguousMemory(ContiguousBuffer buffer) : CheckedMemory
{
    public override Span<byte> GetSpan() => buffer.Span;
}

/// <summary>A whole view: checked through <see cref="PageMapping.Span"/>, so its unmap ends it.</summary>
internal sealed class MappingMemory(PageMapping mapping) : CheckedMemory
{
    public override Span<byte> GetSpan() => mapping.Span;
}

/// <summary>One block of a buffer (a page, or a run of pages that are neighbours in the arena): checked like every
/// helper, so the buffer's or its allocator's disposal ends it.</summary>
internal sealed class BufferMemory(ExtentBuffer buffer, int offset, int length) : CheckedMemory
{
    public override Span<byte> GetSpan() => buffer.BlockAt(offset, length);
}
