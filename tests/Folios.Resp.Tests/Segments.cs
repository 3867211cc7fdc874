using System.Buffers;

namespace Folios.Resp.Tests;

/// <summary>Byte sequences cut into segments where a test wants them.</summary>
internal static class Segments
{
    /// <summary>The bytes with a segment boundary at each of <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        if (bounds.Length == 1)
            return new ReadOnlySequence<byte>(bytes);
        Segment first = new(bytes.AsMemory(0, bounds[0]), 0), last = first;
        for (int i = 1; i < bounds.Length; i++)
            last = last.Append(bytes.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One byte per segment.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) => Split(bytes, Enumerable.Range(1, bytes.Length).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory) => (Segment)(Next = new Segment(memory, RunningIndex + Memory.Length));
    }
}
