"""The encrypted fields' old home, named by care's and calls' migrations; they live in `samen.core.crypto`
(backups read and re-encrypt them, and core cannot import care)."""

from samen.core.crypto import EncryptedDateField, EncryptedTextField

__all__ = ["EncryptedDateField", "EncryptedTextField"]
