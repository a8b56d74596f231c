print(String(decoding: PackageResources.monitord_yaml, as: UTF8.self))
