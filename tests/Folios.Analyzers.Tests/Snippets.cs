namespace Folios.Analyzers.Tests;

/// <summary>Wraps statements in a class that has an allocator, a buffer and helper wrappers in scope.</summary>
internal static class Snippets
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Buffers.Binary;\nusing System.Runtime.InteropServices;\nusing System.Threading.Tasks;\nusing Folios;\n";

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
