// Adapter: ankerl::unordered_dense is not packaged by Debian. The worker only
// uses its map, set and hash, whose interfaces are a subset of the standard
// unordered containers, so they map onto those (at some cost in speed).
#pragma once

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	template<class Key>
	using hash = std::hash<Key>;

	template<
	  class Key,
	  class Value,
	  class Hash     = hash<Key>,
	  class KeyEqual = std::equal_to<Key>,
	  class Alloc    = std::allocator<std::pair<const Key, Value>>>
	using map = std::unordered_map<Key, Value, Hash, KeyEqual, Alloc>;

	template<
	  class Key,
	  class Hash     = hash<Key>,
	  class KeyEqual = std::equal_to<Key>,
	  class Alloc    = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Alloc>;
} // namespace ankerl::unordered_dense
