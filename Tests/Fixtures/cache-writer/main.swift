import CacheSource
print("cache-writer: not written yet")
