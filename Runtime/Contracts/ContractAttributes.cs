namespace Folios;

// The analyzers recognise these attributes by metadata name, so a user's own wrappers that carry them
// join the analysis (in the spirit of sparse's __acquires/__releases).

/// <summary>The argument is an allocation order (2^order pages).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PageOrderAttribute : Attribute;

/// <summary>The argument is a size in bytes; its order is <see cref="PageAllocator.OrderForSize"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class AllocationSizeAttribute : Attribute;

/// <summary>The method returns a mapping that the caller must unmap exactly once.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MapsPagesAttribute : Attribute;

/// <summary>On a method: it releases the mapping it is called on. On a parameter: the method releases the mapping passed there.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter)]
public sealed class UnmapsPagesAttribute : Attribute;

/// <summary>The member gives page-level memory that may not cover the whole buffer; use the buffer's helpers instead.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
public sealed class RawPageAccessAttribute : Attribute;

/// <summary>The method or type implements cross-page logic; raw page access inside it is intended.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor)]
public sealed class PageHelperAttribute : Attribute;
