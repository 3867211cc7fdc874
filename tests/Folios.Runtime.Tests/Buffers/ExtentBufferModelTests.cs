using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CsCheck;

namespace Folios.Tests.Buffers;

/// <summary>
/// Random sequences over every helper, with offsets clustered around page boundaries, checked against a byte[]
/// model, for every layout and for 4, 16 and 64 KiB pages.
/// </summary>
public class ExtentBufferModelTests
{
    private const int OperationsPerSequence = 120;
    private const int Sequences = 80;

    private sealed record Op(int Kind, int A, int B, int C, ulong Value);

    private static readonly Gen<Op> OpGen =
        Gen.Select(Gen.Int[0, 15], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.ULong)
            .Select((kind, a, b, c, value) => new Op(kind, a, b, c, value));

    public static TheoryData<BufferLayout, int> Configurations()
    {
        var data = new TheoryData<BufferLayout, int>();
        foreach (var layout in Enum.GetValues<BufferLayout>())
        {
            foreach (int pageSize in new[] { 4096, 16384, 65536 })
                data.Add(layout, pageSize);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_helper_agrees_with_a_byte_array_model(BufferLayout layout, int pageSize)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, pageSize);
        AgreesWithTheModel(allocator, layout, pageSize);
    }

    /// <summary>Pages in runs of two with gaps between: the copies join neighbours and must split at every gap.</summary>
    [Theory]
    [InlineData(4096)]
    [InlineData(16384)]
    [InlineData(65536)]
    public void Every_helper_agrees_with_a_byte_array_model_on_scattered_pages(int pageSize)
    {
        using var allocator = BufferFactory.Allocator(pageSize, pages: 96);
        var all = new Folio[96];
        Assert.Equal(96, allocator.AllocatePages(all));
        for (int i = 0; i < all.Length; i++)
        {
            if (i % 3 != 0)
                allocator.Free(all[i]);
        }
        using (var probe = ExtentBuffer.Allocate(allocator, pageSize * 4))
        {
            var starts = Enumerable.Range(0, 4).Select(i => probe.GetFolio(i).FirstPage).ToList();
            Assert.Contains(starts.Zip(starts.Skip(1)), pair => Math.Abs(pair.Second - pair.First) != 1);
        }
        AgreesWithTheModel(allocator, BufferLayout.Pages, pageSize);
    }

    private static void AgreesWithTheModel(PageAllocator allocator, BufferLayout layout, int pageSize)
    {
        int length = pageSize * 3 + pageSize / 2 + 5;
        long operations = 0;
        OpGen.Array[OperationsPerSequence].Sample(ops =>
        {
            using var buffer = BufferFactory.Create(allocator, layout, length);
            using var other = ExtentBuffer.Allocate(allocator, length);
            Assert.Equal(layout, buffer.Layout);
            var model = new byte[length];
            var otherModel = new byte[length];
            buffer.Clear(0, length);
            other.Clear(0, length);
            var random = new Random(ops[0].A);
            random.NextBytes(otherModel);
            other.Write(0, otherModel);

            foreach (var op in ops)
            {
                Apply(op, buffer, model, other, otherModel, pageSize);
                Interlocked.Increment(ref operations);
            }
            var contents = new byte[length];
            buffer.Read(0, contents);
            return contents.AsSpan().SequenceEqual(model);
        }, iter: Sequences, seed: "0N0XIzNsQ0O2");
        Assert.True(operations >= Sequences * OperationsPerSequence);
    }

    /// <summary>An offset in [0, limit], half the time within 9 bytes of a page boundary.</summary>
    private static int Position(int seed, int limit, int pageSize)
    {
        if (seed % 2 == 0)
            return seed % (limit + 1);
        int boundary = (seed / 2 % (limit / pageSize + 1)) * pageSize;
        return Math.Clamp(boundary + seed % 19 - 9, 0, limit);
    }

    private static void Apply(Op op, ExtentBuffer buffer, byte[] model, ExtentBuffer other, byte[] otherModel, int pageSize)
    {
        int length = model.Length;
        int maxRun = Math.Min(length, 2 * pageSize + 64);
        int offset = Position(op.A, length - 1, pageSize);
        int run = op.B % (Math.Min(maxRun, length - offset) + 1);
        switch (op.Kind)
        {
            case 0:
                var data = new byte[run];
                new Random(op.C).NextBytes(data);
                buffer.Write(offset, data);
                data.CopyTo(model, offset);
                break;
            case 1:
                var read = new byte[run];
                buffer.Read(offset, read);
                Assert.Equal(model.AsSpan(offset, run).ToArray(), read);
                break;
            case 2:
                buffer.WriteByte(offset, (byte)op.Value);
                model[offset] = (byte)op.Value;
                break;
            case 3:
                Assert.Equal(model[offset], buffer.ReadByte(offset));
                break;
            case 4:
                offset = Math.Min(offset, length - 2);
                buffer.WriteUInt16LittleEndian(offset, (ushort)op.Value);
                BinaryPrimitives.WriteUInt16LittleEndian(model.AsSpan(offset), (ushort)op.Value);
                break;
            case 5:
                offset = Math.Min(offset, length - 4);
                buffer.WriteUInt32LittleEndian(offset, (uint)op.Value);
                BinaryPrimitives.WriteUInt32LittleEndian(model.AsSpan(offset), (uint)op.Value);
                break;
            case 6:
                offset = Math.Min(offset, length - 8);
                buffer.WriteUInt64LittleEndian(offset, op.Value);
                BinaryPrimitives.WriteUInt64LittleEndian(model.AsSpan(offset), op.Value);
                break;
            case 7:
                offset = Math.Min(offset, length - 8);
                Assert.Equal(BinaryPrimitives.ReadUInt16LittleEndian(model.AsSpan(offset)), buffer.ReadUInt16LittleEndian(offset));
                Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(offset)), buffer.ReadUInt32LittleEndian(offset));
                Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(model.AsSpan(offset)), buffer.ReadUInt64LittleEndian(offset));
                break;
            case 8:
                offset = Math.Min(offset, length - 16);
                var pair = (A: (long)op.Value, B: op.C);
                buffer.Write(offset, in pair);
                MemoryMarshal.Write(model.AsSpan(offset), in pair);
                Assert.Equal(MemoryMarshal.Read<(long, int)>(model.AsSpan(offset)), buffer.Read<(long, int)>(offset));
                break;
            case 9:
                var same = model.AsSpan(offset, run).ToArray();
                Assert.Equal(0, buffer.Compare(offset, same));
                if (run > 0)
                {
                    int at = op.C % run;
                    same[at]++;
                    Assert.Equal(Math.Sign(model.AsSpan(offset, run).SequenceCompareTo(same)), Math.Sign(buffer.Compare(offset, same)));
                }
                break;
            case 10:
                int destination = Position(op.C, length - run, pageSize);
                buffer.Move(destination, offset, run);
                model.AsSpan(offset, run).CopyTo(model.AsSpan(destination));
                break;
            case 11:
                buffer.Clear(offset, run);
                model.AsSpan(offset, run).Clear();
                break;
            case 12:
            case 13:
                int start = Math.Min(offset, length - 1);
                int bits = (length - start) * 8;
                int position = op.B % bits;
                int count = op.C % Math.Min(bits - position + 1, 200);
                if (op.Kind == 12)
                    buffer.SetBits(start, position, count);
                else
                    buffer.ClearBits(start, position, count);
                for (int bit = position; bit < position + count; bit++)
                {
                    ref byte b = ref model[start + bit / 8];
                    b = op.Kind == 12 ? (byte)(b | (1 << (bit % 8))) : (byte)(b & ~(1 << (bit % 8)));
                }
                break;
            case 14:
                int testStart = Math.Min(offset, length - 1);
                int testBit = op.B % ((length - testStart) * 8);
                Assert.Equal((model[testStart + testBit / 8] & (1 << (testBit % 8))) != 0, buffer.TestBit(testStart, testBit));
                break;
            default:
                int target = Position(op.C, length - run, pageSize);
                buffer.CopyFrom(other, target, offset, run);
                otherModel.AsSpan(offset, run).CopyTo(model.AsSpan(target));
                break;
        }
    }
}
