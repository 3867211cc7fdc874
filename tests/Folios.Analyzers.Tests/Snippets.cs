namespace Folios.Analyzers.Tests;

/// <summary>Wraps statements in a class that has an allocator, a buffer and helper wrappers in scope.</summary>
internal static class Snippets
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Buffers.Binary;\nusing System.Runtime.InteropServices;\nusing System.Threading.Tasks;\nusing Folios;\n";

    /// <summary>Wraps statements in a class that rents from pools, for the pool rules (no Folios needed).</summary>
    public static string WithPools(string body, string members = "") => "using System;\nusing System.Buffers;\nusing System.IO;\nusing System.Collections.Generic;\n" + $$"""
        class C
        {
            readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create();
            byte[] _kept;
            Stream _stream = Stream.Null;
            static void Fill(byte[] a) { }
            static void Work() { }
            {{members}}
            void M(int n, byte[] source)
            {
                var pool = ArrayPool<byte>.Shared;
                {{body}}
            }
        }
        """;

    public static string InMethod(string body, string members = "") => Usings + $$"""
        class C
        {
            PageAllocator allocator = new PageAllocator();
            ExtentBuffer buffer = null!;
            Folio[] pages = new Folio[4];
            {{members}}
            void M(int n, AllocFlags someFlags, byte[] destination)
            {
                {{body}}
            }
        }
        """;
}
